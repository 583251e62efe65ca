from django.apps import AppConfig


class DbOwnerConfig(AppConfig):
    name = "tests.dbowner"
    label = "tests_dbowner"
