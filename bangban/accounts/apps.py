from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bangban.accounts"
    label = "accounts"
    verbose_name = "用户与角色"
