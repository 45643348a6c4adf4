from django.apps import AppConfig


class MeasurementConfig(AppConfig):
    name = "servicegate.measurement"
    label = "measurement"

    def ready(self) -> None:
        from django.db.models.signals import post_save, pre_save

        from servicegate.calendars.signals import calendar_changed
        from servicegate.measurement import jobs
        from servicegate.promises.models import Promise

        pre_save.connect(jobs.on_promise_pre_save, sender=Promise, dispatch_uid="clock_rules_pre")
        post_save.connect(
            jobs.on_promise_post_save, sender=Promise, dispatch_uid="clock_rules_post"
        )
        calendar_changed.connect(jobs.on_calendar_changed, dispatch_uid="clock_calendar")
