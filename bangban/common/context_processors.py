from bangban.accounts.models import Role


def navigation(request):
    """The menu a user sees depends on the role (the pages themselves check access again)."""
    user = getattr(request, "user", None)
    items = [("catalog:item_list", "事项清单")]
    if user is not None and user.is_authenticated:
        items.insert(0, ("accounts:home", "我的工作台"))
        if user.is_superuser or user.role in (Role.CENTRE_ADMIN,):
            items.append(("admin:index", "系统管理"))
    return {"nav_items": items}
