"""Publish questionnaire v1 (docs/domain.md "The questionnaire") from the plain data in reviews/questionnaire/template_v1.py."""

from django.db import migrations


def create_questionnaire_v1(apps, schema_editor):
    from reviews.questionnaire import template_v1 as data

    Template = apps.get_model("reviews", "QuestionnaireTemplate")
    Section = apps.get_model("reviews", "Section")
    Question = apps.get_model("reviews", "Question")
    if Template.objects.filter(version=data.TEMPLATE["version"]).exists():
        return
    template = Template.objects.create(is_active=True, **data.TEMPLATE)
    for section_order, section_data in enumerate(data.SECTIONS, start=1):
        fields = {k: v for k, v in section_data.items() if k != "questions"}
        section = Section.objects.create(template=template, order=section_order, **fields)
        Question.objects.bulk_create(
            [
                Question(section=section, order=order, **question)
                for order, question in enumerate(section_data["questions"], start=1)
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_groups_and_audit_guard"),
    ]
    operations = [
        migrations.RunPython(create_questionnaire_v1, migrations.RunPython.noop),
    ]
