from django.dispatch import Signal

# Sent inside the transaction of every vendor status change, with vendor, old, new, actor, reason.
# The reviews app records it in the audit log; vendors itself never imports reviews.
vendor_status_changed = Signal()
# Sent when certifications are added or frozen: vendor, certification, action, actor.
certification_changed = Signal()
# Sent inside the transaction of a confirmed inventory import: inventory_import, actor, created and updated
# (lists of credit codes).
inventory_imported = Signal()
# Sent inside the transaction of an upload Legal discarded instead of confirming: inventory_import, actor.
inventory_discarded = Signal()
# Sent inside the transaction of every change of a vendor's own fields (created, profile edited, identity
# frozen or corrected, its inventory fields imported): vendor, actor, action, changes ({field: [old, new]}),
# reason, and inventory_import when a file made the change. reviews audits it.
vendor_changed = Signal()
# Sent when an identity correction begins, inside its transaction and before the vendor's row is locked:
# vendor. reviews locks what depends on the identity first, in the workflow's lock order (review before
# vendor), so that a correction and a sign-off queue rather than deadlock (reviews/correction.py).
vendor_identity_correcting = Signal()
# Sent after the credit code or a legal name was corrected, inside the same transaction: vendor, actor,
# changes, reason, approval_suspended (the vendor was approved, and the correction suspended it). The
# decisions and any approval rested on the old identity: reviews returns the decided stages of a review
# under way and vets a suspended vendor again (reviews/receivers.py).
vendor_identity_corrected = Signal()
