from django.dispatch import Signal

# Sent inside the transaction of every vendor status change, with vendor, old, new, actor, reason.
# The reviews app records it in the audit log; vendors itself never imports reviews.
vendor_status_changed = Signal()
# Sent when certifications are added or frozen: vendor, certification, action, actor.
certification_changed = Signal()
# Sent inside the transaction of a confirmed inventory import: inventory_import, actor, created and updated
# (lists of credit codes).
inventory_imported = Signal()
# Sent inside the transaction of every change of a vendor's own fields (created, profile edited, identity
# frozen or corrected, its inventory fields imported): vendor, actor, action, changes ({field: [old, new]}),
# reason, and inventory_import when a file made the change. reviews audits it.
vendor_changed = Signal()
# Sent after the credit code or a legal name was corrected, inside the same transaction: vendor, actor,
# changes, reason. The approval rested on the old identity; reviews opens a new review (reviews/receivers.py).
vendor_identity_corrected = Signal()
