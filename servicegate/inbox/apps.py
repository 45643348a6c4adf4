from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "servicegate.inbox"
    label = "inbox"
