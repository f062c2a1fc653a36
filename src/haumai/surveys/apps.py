from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "haumai.surveys"
    label = "surveys"
    verbose_name = "Surveys"
