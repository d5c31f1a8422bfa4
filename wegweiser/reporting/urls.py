"""ESF Plus reports, under ``/<lang>/berichte/``."""

from django.urls import path
from django.views.decorators.cache import never_cache

from wegweiser.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("faelle/", views.drill_down, name="cases"),
    path("vollstaendigkeit/", views.completeness, name="completeness"),
    path("export.xlsx", views.export_xlsx, name="export-xlsx"),
    path("export.csv", views.export_csv, name="export-csv"),
    path("monitoring.csv", views.export_monitoring, name="export-monitoring"),
]

# Figures of a scope and lists of cases: no browser or proxy keeps them.
for _pattern in urlpatterns:
    _pattern.callback = never_cache(_pattern.callback)
