"""The admin site (Unfold theme): managers and admins only, every changelist opens, in Vietnamese."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "s3cret-pass-123"


def client_for(make_staff: Any, role: str) -> Client:
    client = Client()
    user = make_staff(role)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_agents_and_warehouse_staff_cannot_open_the_admin(make_staff: Any) -> None:
    for role in ("agent", "warehouse", "technician"):
        response = client_for(make_staff, role).get("/admin/")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


@pytest.mark.vietnamese
def test_admin_sees_every_changelist_in_vietnamese(make_staff: Any) -> None:
    client = client_for(make_staff, "admin")
    index = client.get("/admin/")
    assert index.status_code == 200
    assert 'lang="vi"' in index.content.decode()
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_manager_opens_customers_admin(make_staff: Any) -> None:
    response = client_for(make_staff, "manager").get(reverse("admin:customers_customer_changelist"))
    assert response.status_code == 200
