"""The PDF records of the use layer (docs/domain.md "Use"): the compliance confirmation of a decided
marketing activity (营销活动合规确认单) and the addendum of an approved scope extension to its approval's
dossier. View models in activity.py and addendum.py (their parts in base.py), the PDF in render.py; they read
only what is stored and write nothing."""
