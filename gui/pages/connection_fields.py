"""Labels of the profile settings as the Connections form shows them (also used to name the field to fix)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

FIELD_LABELS = {
    "name": QT_TRANSLATE_NOOP("ConnectionFields", "Profile name"),
    "fx_url": QT_TRANSLATE_NOOP("ConnectionFields", "Gateway URL"),
    "fx_app_id": QT_TRANSLATE_NOOP("ConnectionFields", "appId"),
    "fx_app_secret": QT_TRANSLATE_NOOP("ConnectionFields", "appSecret"),
    "fx_permanent_code": QT_TRANSLATE_NOOP("ConnectionFields", "Permanent code"),
    "fx_open_user_id": QT_TRANSLATE_NOOP("ConnectionFields", "Operator openUserId"),
    "fx_admin_mobile": QT_TRANSLATE_NOOP("ConnectionFields", "Admin mobile"),
    "k3_url": QT_TRANSLATE_NOOP("ConnectionFields", "Site URL"),
    "k3_acct_id": QT_TRANSLATE_NOOP("ConnectionFields", "Data center"),
    "k3_auth": QT_TRANSLATE_NOOP("ConnectionFields", "Login mode"),
    "k3_user": QT_TRANSLATE_NOOP("ConnectionFields", "User"),
    "k3_password": QT_TRANSLATE_NOOP("ConnectionFields", "Password"),
    "k3_app_id": QT_TRANSLATE_NOOP("ConnectionFields", "App ID"),
    "k3_app_secret": QT_TRANSLATE_NOOP("ConnectionFields", "App secret"),
    "k3_lcid": QT_TRANSLATE_NOOP("ConnectionFields", "Language"),
    "k3_org": QT_TRANSLATE_NOOP("ConnectionFields", "Organisation No."),
    "ca_bundle": QT_TRANSLATE_NOOP("ConnectionFields", "CA bundle"),
    "connect_timeout": QT_TRANSLATE_NOOP("ConnectionFields", "Connect timeout"),
    "read_timeout": QT_TRANSLATE_NOOP("ConnectionFields", "Read timeout"),
    "batch_size": QT_TRANSLATE_NOOP("ConnectionFields", "Batch size"),
    "submit": QT_TRANSLATE_NOOP("ConnectionFields", "Submit after saving"),
    "audit": QT_TRANSLATE_NOOP("ConnectionFields", "Audit after submitting"),
    "writeback": QT_TRANSLATE_NOOP("ConnectionFields", "Write the K3 number back to Fxiaoke"),
    "k3_shipment_form": QT_TRANSLATE_NOOP("ConnectionFields", "Shipped means"),
    "receipt_bill_type": QT_TRANSLATE_NOOP("ConnectionFields", "Receipt bill type"),
    "receipt_settle_type": QT_TRANSLATE_NOOP("ConnectionFields", "Receipt settlement type"),
    "receipt_purpose": QT_TRANSLATE_NOOP("ConnectionFields", "Receipt purpose"),
    "db_url": QT_TRANSLATE_NOOP("ConnectionFields", "Database URL"),
    "db_password": QT_TRANSLATE_NOOP("ConnectionFields", "Database password"),
}
#: The K3Cloud form whose audited bills mean an order shipped (profile ``k3_shipment_form``).
SHIPMENT_FORM_NAMES = {
    "SAL_OUTSTOCK": QT_TRANSLATE_NOOP("ConnectionFields", "Sales out-stock bill (SAL_OUTSTOCK)"),
    "SAL_DELIVERYNOTICE": QT_TRANSLATE_NOOP("ConnectionFields", "Delivery notice (SAL_DELIVERYNOTICE)"),
}
#: Receipt (AR_RECEIVEBILL) numbers the payments mapping reads from the profile; empty = the default shown.
RECEIPT_FIELDS = ("receipt_bill_type", "receipt_settle_type", "receipt_purpose")
#: Form field -> keyring key of the secret it holds.
SECRET_FIELDS = {
    "fx_app_secret": "fx-app-secret", "fx_permanent_code": "fx-permanent-code",
    "k3_password": "k3-password", "k3_app_secret": "k3-app-secret",
}
LCID_NAMES = {
    2052: QT_TRANSLATE_NOOP("ConnectionFields", "2052 Simplified Chinese"),
    1033: QT_TRANSLATE_NOOP("ConnectionFields", "1033 English"),
    3076: QT_TRANSLATE_NOOP("ConnectionFields", "3076 Traditional Chinese"),
}
AUTH_NAMES = {
    "password": QT_TRANSLATE_NOOP("ConnectionFields", "User and password (ValidateUser)"),
    "appsecret": QT_TRANSLATE_NOOP("ConnectionFields", "App ID and secret (LoginByAppSecret)"),
    "signed": QT_TRANSLATE_NOOP("ConnectionFields", "Signed headers (official SDK style)"),
}
