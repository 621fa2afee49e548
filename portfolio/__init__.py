"""The portfolio at a glance (/portfolio/): how much of what the business uses is vetted, where the risk sits,
which approvals end when, how long each stage takes and what is waiting. Charts are drawn on the server as
SVG, each with the table behind it and a CSV of that table; access through reviews.access.can_see_portfolio."""
