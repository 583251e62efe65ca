from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/<int:batch_id>/", views.import_detail, name="import_detail"),
    path("import/<int:batch_id>/progress.json", views.import_progress, name="import_progress"),
    path("templates/<str:filename>", views.template_download, name="template"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/refresh/", views.snapshot_refresh, name="snapshot_refresh"),
    path("dashboard/report.<str:fmt>", views.report_export, name="report"),
    path("dashboard/<str:code>/", views.drilldown, name="drilldown"),
]
