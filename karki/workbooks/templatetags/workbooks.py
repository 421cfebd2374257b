from django import template

from karki.accounts import permissions as perms

register = template.Library()


@register.filter
def can_import_workbook(user, programme) -> bool:
    return perms.can_edit_programme(user, programme)


@register.filter
def can_import_new_programme(user, organisation) -> bool:
    return perms.can_import_programme(user, organisation)
