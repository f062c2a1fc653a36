"""Console registration: the KPI dashboard under Reports."""

from django.utils.translation import gettext_lazy as _

from haumai.core.registry import NavEntry, register_nav

register_nav(
    NavEntry(
        key="analytics.dashboard",
        area="reports",
        label=_("KPI dashboard"),
        url_name="analytics:dashboard",
        icon="chart-line",
        permission="analytics.view_dashboard",
        order=10,
    )
)
