from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "haumai.journeys"
    label = "journeys"
