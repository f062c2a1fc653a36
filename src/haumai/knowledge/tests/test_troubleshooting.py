"""Troubleshooting trees: building them (rules and permissions), publishing complete trees only, readers
walking them in the help center with their answers counted, and the console page."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from haumai.core.errors import Conflict, Forbidden, ValidationFailed
from haumai.knowledge import services
from haumai.knowledge.models import Article, ArticleKind, ArticleStatus, StepOutcome, TroubleshootingStep
from haumai.knowledge.services import troubleshooting

pytestmark = [pytest.mark.django_db, pytest.mark.vietnamese]


def _draft(actor: Any, title: str = "Máy lọc nước không ra nước") -> Article:
    data = services.ArticleInput(title=title, body_html="<p>Kiểm tra từng bước.</p>", kind=ArticleKind.TROUBLESHOOTING)
    return services.create_article(actor=actor, data=data)


def _tree(actor: Any, article: Article) -> dict[str, TroubleshootingStep]:
    add = troubleshooting.add_step
    root = add(actor=actor, article=article, parent=None, answer="", text="Đèn nguồn có sáng không?",
               outcome=StepOutcome.QUESTION)
    off = add(actor=actor, article=article, parent=root, answer="Không sáng", text="Kiểm tra ổ điện và cầu dao.",
              outcome=StepOutcome.TRY_FIX)
    on = add(actor=actor, article=article, parent=root, answer="Sáng", text="Van nước đã mở chưa?",
             outcome=StepOutcome.QUESTION)
    closed = add(actor=actor, article=article, parent=on, answer="Chưa mở", text="Mở van và chờ 2 phút.",
                 outcome=StepOutcome.TRY_FIX)
    pump = add(actor=actor, article=article, parent=on, answer="Đã mở", text="Bơm có thể hỏng.",
               outcome=StepOutcome.REPAIR)
    return {"root": root, "off": off, "on": on, "closed": closed, "pump": pump}


def test_a_tree_is_built_under_its_rules_and_published_only_when_complete(manager: Any) -> None:
    article = _draft(manager)
    with pytest.raises(ValidationFailed, match="bước đầu tiên"):
        services.publish(actor=manager, article=article)
    steps = _tree(manager, article)
    with pytest.raises(Conflict):  # one first step per article
        troubleshooting.add_step(actor=manager, article=article, parent=None, answer="", text="Câu khác",
                                 outcome=StepOutcome.QUESTION)
    with pytest.raises(ValidationFailed):  # an end step takes no answers
        troubleshooting.add_step(actor=manager, article=article, parent=steps["off"], answer="Vẫn tắt",
                                 text="...", outcome=StepOutcome.CONTACT)
    with pytest.raises(ValidationFailed) as same:  # an answer offered twice
        troubleshooting.add_step(actor=manager, article=article, parent=steps["root"], answer="sáng",
                                 text="...", outcome=StepOutcome.CONTACT)
    assert [e.field for e in same.value.errors] == ["answer"]
    with pytest.raises(ValidationFailed) as empty:
        troubleshooting.add_step(actor=manager, article=article, parent=steps["root"], answer="",
                                 text="  ", outcome="nonsense")
    assert {e.field for e in empty.value.errors} == {"answer", "text", "outcome"}
    with pytest.raises(ValidationFailed):  # a question with answers cannot become an end
        troubleshooting.update_step(actor=manager, step=steps["on"], answer="Sáng", text="x",
                                    outcome=StepOutcome.CONTACT)
    assert TroubleshootingStep.objects.filter(article=article).count() == 5

    # A question left with one answer blocks publishing; removing a subtree removes everything below.
    lonely = troubleshooting.add_step(actor=manager, article=article, parent=steps["on"], answer="Không biết",
                                      text="Nước có vào bình không?", outcome=StepOutcome.QUESTION)
    troubleshooting.add_step(actor=manager, article=article, parent=lonely, answer="Không", text="Gọi chúng tôi",
                             outcome=StepOutcome.CONTACT)
    with pytest.raises(ValidationFailed, match="hai câu trả lời"):
        services.publish(actor=manager, article=article)
    assert troubleshooting.remove_step(actor=manager, step=lonely) == 2
    published = services.publish(actor=manager, article=article)
    assert published.status == ArticleStatus.PUBLISHED

    # Published: the first step stays, and no removal may leave a question with one answer.
    with pytest.raises(ValidationFailed):
        troubleshooting.remove_step(actor=manager, step=steps["root"])
    with pytest.raises(ValidationFailed, match="hai câu trả lời"):
        troubleshooting.remove_step(actor=manager, step=steps["pump"])
    assert TroubleshootingStep.objects.filter(article=article).count() == 5


def test_agents_build_drafts_but_only_publishers_change_a_published_tree(manager: Any, agent: Any) -> None:
    article = _draft(agent)
    steps = _tree(agent, article)
    services.publish(actor=manager, article=article)
    article.refresh_from_db()
    with pytest.raises(Forbidden):
        troubleshooting.update_step(actor=agent, step=steps["off"], answer="Không sáng", text="x",
                                    outcome=StepOutcome.TRY_FIX)
    plain = services.create_article(actor=agent, data=services.ArticleInput(title="Bài thường"))
    with pytest.raises(ValidationFailed):  # steps belong to troubleshooting articles only
        troubleshooting.add_step(actor=agent, article=plain, parent=None, answer="", text="?",
                                 outcome=StepOutcome.QUESTION)
    assert TroubleshootingStep.objects.get(pk=steps["off"].pk).text == "Kiểm tra ổ điện và cầu dao."


def test_a_reader_walks_the_tree_and_says_whether_the_fix_worked(
    client: Client, manager: Any, django_assert_max_num_queries: Any
) -> None:
    article = _draft(manager)
    steps = _tree(manager, article)
    services.publish(actor=manager, article=article)
    assert 'id="fix-start"' in client.get(f"/portal/help/{article.slug}/").content.decode()

    with django_assert_max_num_queries(4):
        first = client.get(f"/portal/help/{article.slug}/fix/")
    text = first.content.decode()
    assert first.status_code == 200
    assert "Đèn nguồn có sáng không?" in text
    assert f"/fix/{steps['off'].pk}/" in text and f"/fix/{steps['on'].pk}/" in text

    deeper = client.get(f"/portal/help/{article.slug}/fix/{steps['closed'].pk}/").content.decode()
    assert "Mở van và chờ 2 phút." in deeper
    assert "Đèn nguồn có sáng không? → <strong>Sáng</strong>" in deeper  # the answers given so far
    assert "Van nước đã mở chưa? → <strong>Chưa mở</strong>" in deeper

    answered = client.post(f"/portal/help/{article.slug}/fix/{steps['closed'].pk}/answer/", {"fixed": "no"})
    assert answered.status_code == 302
    after = client.get(answered["Location"]).content.decode()
    assert 'id="step-book"' in after  # not fixed: book a repair, or reach support
    client.post(f"/portal/help/{article.slug}/fix/{steps['closed'].pk}/answer/", {"fixed": "yes"})
    counted = TroubleshootingStep.objects.get(pk=steps["closed"].pk)
    assert (counted.fixed_count, counted.not_fixed_count) == (1, 1)

    # Bad answers change nothing; a repair step asks nothing; unknown steps and other articles are 404.
    assert client.post(f"/portal/help/{article.slug}/fix/{steps['closed'].pk}/answer/",
                       {"fixed": "maybe"}).status_code == 400
    assert client.post(f"/portal/help/{article.slug}/fix/{steps['pump'].pk}/answer/",
                       {"fixed": "yes"}).status_code == 422
    counted.refresh_from_db()
    assert (counted.fixed_count, counted.not_fixed_count) == (1, 1)
    other = _draft(manager, "Điện thoại không sạc")
    other_steps = _tree(manager, other)
    assert client.get(f"/portal/help/{article.slug}/fix/{other_steps['off'].pk}/").status_code == 404
    assert client.get(f"/portal/help/{other.slug}/fix/").status_code == 404  # a draft is not public
    assert client.get(f"/portal/help/{article.slug}/fix/99999999/").status_code == 404


def test_the_console_page_shows_the_tree_and_edits_it(
    client: Client, manager: Any, agent: Any, make_staff: Any
) -> None:
    article = _draft(manager)
    steps = _tree(manager, article)
    client.force_login(agent)
    page = client.get(f"/console/knowledge/{article.pk}/steps/")
    text = page.content.decode()
    assert page.status_code == 200
    assert text.index("Đèn nguồn có sáng không?") < text.index("Van nước đã mở chưa?") < text.index("Bơm có thể hỏng.")
    response = client.post(f"/console/knowledge/{article.pk}/steps/add/",
                           {"parent": steps["off"].pk, "answer": "x", "text": "y", "outcome": "contact"})
    assert response.status_code == 302  # refused with a message: an end takes no answers
    assert TroubleshootingStep.objects.filter(article=article).count() == 5
    client.post(f"/console/knowledge/{article.pk}/steps/add/",
                {"parent": steps["root"].pk, "answer": "Nhấp nháy", "text": "Gọi tổng đài", "outcome": "contact"})
    assert TroubleshootingStep.objects.filter(article=article, answer="Nhấp nháy", outcome="contact").count() == 1

    client.force_login(make_staff("warehouse", "kb-warehouse"))
    assert client.post(f"/console/knowledge/{article.pk}/steps/{steps['pump'].pk}/remove/").status_code == 403
    assert TroubleshootingStep.objects.filter(pk=steps["pump"].pk).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")
def test_parallel_first_steps_leave_one_root(make_staff: Any) -> None:
    editor = make_staff("manager", "kb-parallel")
    article = _draft(editor)
    outcomes: list[str] = []
    start = threading.Barrier(6, timeout=20)

    def add(n: int) -> None:
        try:
            start.wait()
            troubleshooting.add_step(actor=editor, article=article, parent=None, answer="", text=f"Câu {n}",
                                     outcome=StepOutcome.QUESTION)
            outcomes.append("added")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["added"] + ["conflict"] * 5
    assert TroubleshootingStep.objects.filter(article=article, parent__isnull=True).count() == 1
