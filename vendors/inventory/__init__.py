"""The inventory of vendors and platforms already in use (盘点): the columns of the import file, reading
and checking it, the template to fill in, and the services that save it.

PIPL applies to the platforms a brand already uses as much as to new ones (docs/domain.md "Why vetting"): what the
business uses today is taken stock of here, and each such vendor is "in use, not vetted" until a catch-up
review (补齐审核) passes."""
