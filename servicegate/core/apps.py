import logging

from django.apps import AppConfig

logger = logging.getLogger(__name__)


class CoreConfig(AppConfig):
    name = "servicegate.core"
    label = "core"

    def ready(self) -> None:
        # Django spools large uploads into FILE_UPLOAD_TEMP_DIR and fails if it is missing.
        from servicegate.core.uploads import upload_temp_dir

        try:
            upload_temp_dir()
        except OSError as exc:
            logger.warning("cannot create the upload folder: %s", exc)
