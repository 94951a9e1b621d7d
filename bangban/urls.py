from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from bangban.common.views import healthz

handler404 = "bangban.common.views.page_not_found"
handler500 = "bangban.common.views.server_error"

admin.site.site_header = "帮办 · 系统管理"
admin.site.site_title = "帮办系统管理"
admin.site.index_title = "管理首页"

api_v1 = [
    path("", include("bangban.catalog.api_urls")),
    path("", include("bangban.projects.api_urls")),
    path("", include("bangban.planning.api_urls")),
    path("", include("bangban.cases.api_urls")),
    path("", include("bangban.coordination.api_urls")),
    path("", include("bangban.evaluation.api_urls")),
    path("", include("bangban.supervision.api_urls")),
]

urlpatterns = [
    path("", include("bangban.web.urls")),
    path("catalog/", include("bangban.catalog.urls")),
    path("accounts/", include("bangban.accounts.urls")),
    path("", include("bangban.planning.urls")),
    path("", include("bangban.projects.urls")),
    path("", include("bangban.cases.urls")),
    path("", include("bangban.coordination.urls")),
    path("", include("bangban.evaluation.urls")),
    path("", include("bangban.supervision.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", healthz, name="healthz"),
]
