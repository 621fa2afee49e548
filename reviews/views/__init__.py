"""The site's pages, one module per page group: the requester's and the readers', and the vendor contact's
(contact.py). Views are thin: they find the review through reviews.access (or the contact's link), call one
service, and turn refusals (WorkflowError, upload ValidationError) into messages."""

from .contact import contact_data_source, contact_home, contact_section
from .contact_links import contact_link_create, contact_link_revoke
from .dashboard import dashboard
from .downloads import certificate_download, evidence_download
from .evidence import certificate_withdraw, data_source, evidence_withdraw, security
from .questionnaire import questionnaire, questionnaire_section
from .request import review_new
from .review import review_detail, review_withdraw, stage_submit
from .vendor import vendor_detail

__all__ = [
    "certificate_download", "certificate_withdraw", "contact_data_source", "contact_home", "contact_link_create",
    "contact_link_revoke", "contact_section", "dashboard", "data_source", "evidence_download",
    "evidence_withdraw", "questionnaire", "questionnaire_section", "review_detail", "review_new",
    "review_withdraw", "security", "stage_submit", "vendor_detail",
]
