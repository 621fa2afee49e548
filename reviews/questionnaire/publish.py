"""Load a questionnaire's plain data (a template module: TEMPLATE and SECTIONS) into the database, for the
migration that publishes it. Takes the migration's `apps`, so it runs against the historical models."""


def publish_template(apps, data, *, is_active: bool = True) -> None:
    template_model = apps.get_model("reviews", "QuestionnaireTemplate")
    section_model = apps.get_model("reviews", "Section")
    question_model = apps.get_model("reviews", "Question")
    fields = dict(data.TEMPLATE)
    existing = template_model.objects.filter(version=fields["version"])
    # Versions are counted per subject since the own-channel questionnaire (migration 0025); the vendor
    # questionnaire v1 is published by migration 0003, before that field exists.
    if any(field.name == "subject" for field in template_model._meta.get_fields()):
        existing = existing.filter(subject=fields.get("subject", "vendor"))
    if existing.exists():
        return
    template = template_model.objects.create(is_active=is_active, **fields)
    for section_order, section_data in enumerate(data.SECTIONS, start=1):
        section_fields = {k: v for k, v in section_data.items() if k != "questions"}
        section = section_model.objects.create(template=template, order=section_order, **section_fields)
        question_model.objects.bulk_create(
            [
                question_model(section=section, order=order, **question)
                for order, question in enumerate(section_data["questions"], start=1)
            ]
        )
