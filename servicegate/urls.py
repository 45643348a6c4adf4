"""URL map: one prefix per area, the API under /api/v1/."""

from django.contrib import admin
from django.urls import include, path

from servicegate.api.api import api

urlpatterns = [
    path("", include("servicegate.core.urls")),
    path("accounts/", include("servicegate.accounts.urls")),
    path("catalog/", include("servicegate.catalog.urls")),
    path("promises/", include("servicegate.promises.urls")),
    path("operations/", include("servicegate.operations.urls")),
    path("measurement/", include("servicegate.measurement.urls")),
    path("improvement/", include("servicegate.improvement.urls")),
    path("planning/", include("servicegate.planning.urls")),
    path("maintenance/", include("servicegate.maintenance.urls")),
    path("scheduling/", include("servicegate.scheduling.urls")),
    path("team/", include("servicegate.team.urls")),
    path("portal/", include("servicegate.portal.urls")),
    path("calendars/", include("servicegate.calendars.urls")),
    path("inbox/", include("servicegate.inbox.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
