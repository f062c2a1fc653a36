"""The article editor form: parses what was typed into services.ArticleInput (the services validate)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haumai.catalog.models import Category as ProductCategory
from haumai.catalog.models import Product
from haumai.knowledge.models import ArticleKind, HelpCategory, Language
from haumai.knowledge.services import ArticleInput


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.CharField(label=_("Address (slug)"), max_length=220, required=False,
                           help_text=_("Leave empty to make one from the title, without diacritics."))
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=ArticleKind.choices)
    category = forms.ModelChoiceField(label=_("Help category"), queryset=HelpCategory.objects.all(), required=False)
    product = forms.ModelChoiceField(label=_("Product (usage guide)"), queryset=Product.objects.none(),
                                     required=False, to_field_name="sku", widget=forms.TextInput,
                                     help_text=_("Product SKU, for a usage guide of one product."))
    product_category = forms.ModelChoiceField(label=_("Product category (usage guide)"),
                                              queryset=ProductCategory.objects.all(), required=False)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    body_html = forms.CharField(label=_("Body (HTML: headings, lists, links, images)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 16}), max_length=200_000)
    video_url = forms.CharField(label=_("Video link (YouTube or Vimeo)"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.all()  # type: ignore[attr-defined]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def to_input(self) -> ArticleInput:
        """What the editor typed, for the services."""
        data = self.cleaned_data
        return ArticleInput(
            title=data["title"],
            slug=data.get("slug") or "",
            language=data["language"],
            kind=data["kind"],
            summary=data.get("summary") or "",
            body_html=data.get("body_html") or "",
            video_url=data.get("video_url") or "",
            category_id=data["category"].pk if data.get("category") else None,
            product_id=data["product"].pk if data.get("product") else None,
            product_category_id=data["product_category"].pk if data.get("product_category") else None,
        )


def initial_for(article: Any) -> dict[str, Any]:
    """The form's values for an existing article."""
    return {
        "title": article.title,
        "slug": article.slug,
        "language": article.language,
        "kind": article.kind,
        "category": article.category_id,
        "product": article.product.sku if article.product else "",
        "product_category": article.product_category_id,
        "summary": article.summary,
        "body_html": article.body_html,
        "video_url": article.video_url,
    }
