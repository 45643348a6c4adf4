from django.apps import AppConfig


class MeasurementConfig(AppConfig):
    name = "servicegate.measurement"
    label = "measurement"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from servicegate.calendars.signals import calendar_changed
        from servicegate.catalog.models import Segment, ServiceProduct
        from servicegate.measurement import figures, jobs
        from servicegate.operations.models import Customer
        from servicegate.promises.models import Contract, Promise

        pre_save.connect(jobs.on_promise_pre_save, sender=Promise, dispatch_uid="clock_rules_pre")
        post_save.connect(
            jobs.on_promise_post_save, sender=Promise, dispatch_uid="clock_rules_post"
        )
        calendar_changed.connect(jobs.on_calendar_changed, dispatch_uid="clock_calendar")
        # The dashboard's cached figures show promises by their terms and scope (contract,
        # customer, product, segment); a change of any gives the figures a new generation.
        # Clock writes do so themselves.
        for model in (Promise, Contract, Customer, ServiceProduct, Segment):
            for signal in (post_save, post_delete):
                signal.connect(
                    figures.on_shown_change, sender=model, dispatch_uid=f"figures_{model.__name__}"
                )
