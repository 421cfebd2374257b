from django.contrib.auth import views as auth_views
from django.urls import path

from . import oidc, signin, tokens

app_name = "accounts"
urlpatterns = [
    path("login/", signin.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("no-roles/", signin.no_roles, name="no-roles"),
    path("oidc/authenticate/", oidc.sign_in, name="oidc-login"),
    path("oidc/callback/", oidc.callback, name="oidc-callback"),
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<str:digest>/revoke/", tokens.token_revoke, name="token-revoke"),
]
