from django.urls import path

from . import views

app_name = "forecasts"
urlpatterns = [
    path("<slug:slug>/forecast/", views.forecast_page, name="forecast"),
    path("<slug:slug>/forecast/help/", views.help_page, name="help"),
    path("<slug:slug>/forecast/scenarios/", views.scenarios, name="scenarios"),
    path("<slug:slug>/baskets/", views.baskets, name="baskets"),
    path("<slug:slug>/baskets/decisions/", views.basket_decision, name="basket-decision"),
]
