from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "servicegate.operations"
    label = "operations"

    def ready(self) -> None:
        # Registers the "import" job kind with servicegate.core.jobs.
        from servicegate.operations import jobs  # noqa: F401
