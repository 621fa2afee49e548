"""The core's pages, one module per page group: the requester's and the readers'. The wings serve their own
(reviews/contact/views.py, reviews/dossier/views.py). Views are thin: they find the review through
reviews.access, call one service, and turn refusals (WorkflowError, upload ValidationError) into messages."""

from .channel import channel_new, channel_owners
from .dashboard import dashboard, dashboard_list
from .downloads import certificate_download, evidence_download
from .evidence import certificate_withdraw, data_source, evidence_withdraw, security
from .password import password_change, password_change_done, sign_in
from .questionnaire import questionnaire, questionnaire_section
from .request import review_new
from .review import review_detail, review_withdraw, stage_submit
from .vendor import vendor_detail

__all__ = [
    "certificate_download",
    "certificate_withdraw",
    "channel_new",
    "channel_owners",
    "dashboard",
    "dashboard_list",
    "data_source",
    "evidence_download",
    "evidence_withdraw",
    "password_change",
    "password_change_done",
    "questionnaire",
    "questionnaire_section",
    "review_detail",
    "review_new",
    "review_withdraw",
    "security",
    "sign_in",
    "stage_submit",
    "vendor_detail",
]
