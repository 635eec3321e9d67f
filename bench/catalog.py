"""Realistic values the generator draws from (the same public facts as `policies/data/`)."""

from __future__ import annotations

OUTLOOK_AGENTS = ("Outlook-iOS/*", "Outlook-Android/*")
OTHER_EWS_AGENTS = (
    "MacOutlook/*",
    "Microsoft Office/*",
    "OC/*",
    "Teams/*",
    "SkypeSpaces/*",
    "ExchangeServicesClient/*",
    "CodeTwo*",
    "Veeam*",
    "AvePoint*",
)
BLOCKED_EWS_AGENTS = ("ThirdPartyMail/*", "EvilSync/*", "BlueMail/*", "Spark/*", "Nine/*")

TENANT_WORDS = (
    "contoso",
    "fabrikam",
    "northwind",
    "tailspin",
    "adatum",
    "litware",
    "woodgrove",
    "proseware",
    "wingtip",
    "fourthcoffee",
    "alpineski",
    "margies",
    "lucerne",
    "relecloud",
    "treyresearch",
    "humongous",
    "cohowinery",
    "wideworld",
    "bellows",
    "blueyonder",
    "lamnahealth",
    "munson",
    "graphicdesign",
    "southridge",
    "consolidated",
    "fineartschool",
    "schoolofart",
    "tradewinds",
)
REGIONS = ("NAM", "EUR", "APC", "GBR", "CAN", "AUS", "JPN", "IND", "FRA", "DEU", "CHE", "NOR")
GROUPS = (
    "SG-Outlook-Mobile-Users",
    "SG-All-Staff",
    "SG-Frontline-Workers",
    "SG-Executives",
    "SG-Break-Glass",
    "SG-IT-Admins",
    "SG-Sales",
    "SG-Finance",
    "SG-HR",
    "SG-Contractors",
    "SG-Intune-Pilot",
    "SG-MAM-Only",
    "SG-Retail-Stores",
    "SG-Field-Engineers",
)
FIRST = (
    "adele",
    "alex",
    "diego",
    "grady",
    "henrietta",
    "isaiah",
    "johanna",
    "joni",
    "lee",
    "lidia",
    "lynne",
    "megan",
    "miriam",
    "nestor",
    "patti",
    "pradeep",
)
LAST = (
    "vance",
    "wilber",
    "siciliani",
    "archie",
    "mueller",
    "langer",
    "lorenz",
    "sherman",
    "gu",
    "holloway",
    "robbins",
    "bowen",
    "graham",
    "wilke",
    "fernandez",
    "gupta",
)

EXCHANGE_APP = "00000002-0000-0ff1-ce00-000000000000"
OUTLOOK_MOBILE_APP = "27922004-5251-4030-b22d-91ecd9a37ea4"

OUTLOOK_IOS = "com.microsoft.Office.Outlook"
OUTLOOK_ANDROID = "com.microsoft.office.outlook"
OTHER_IOS_APPS = (
    "com.microsoft.skype.teams",
    "com.microsoft.Office.Word",
    "com.microsoft.Office.Excel",
    "com.microsoft.sharepoint.onedrive",
    "com.microsoft.msedge",
)
OTHER_ANDROID_APPS = (
    "com.microsoft.teams",
    "com.microsoft.office.word",
    "com.microsoft.office.excel",
    "com.microsoft.skydrive",
    "com.microsoft.emmx",
)
IOS_VERSIONS = ("4.2405.0", "4.2412.1", "4.2420.0", "4.2433.0", "4.2501.0", "3.10.1")
ANDROID_VERSIONS = ("4.2405.1", "4.2412.2", "4.2420.0", "4.2433.1", "4.2501.3", "3.0.14")

# servicePlanName -> servicePlanId
PLANS = {
    "EXCHANGE_S_ENTERPRISE": "efb87545-963c-4e0d-99df-69c6916d9eb0",
    "EXCHANGE_S_STANDARD": "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
    "EXCHANGE_S_DESKLESS": "4a82b400-a79f-41a4-b4e2-e94f5787b113",
    "OFFICESUBSCRIPTION": "43de0ff5-c92c-492b-9116-175376d08c38",
    "SHAREPOINTENTERPRISE": "5dbe027f-2339-4123-9542-606e4d348a72",
    "SHAREPOINTSTANDARD": "c7699d2e-19aa-44de-8edf-1736da088ca1",
    "TEAMS1": "57ff2da0-773e-42df-b2af-ffb7a2317929",
    "MCOSTANDARD": "0feaeb32-d00e-4d66-bd5a-43b5b83db82c",
    "INTUNE_A": "c1ec4a95-1f05-45b3-a911-aa3fa01094f5",
    "YAMMER_ENTERPRISE": "7547a3fe-08ee-4ccb-b430-5077c5041653",
    "SWAY": "a23b959c-7ce8-4e57-9140-b90eb88a9e97",
    "FORMS_PLAN_E3": "2789c901-c14e-48ab-a76a-be334d9d793a",
    "RMS_S_ENTERPRISE": "bea4c11e-220a-4e6d-8eb8-8ea15d019f90",
    "AAD_PREMIUM": "41781fb2-bc02-4b7c-bd55-b576c07bb09d",
}

# skuPartNumber -> (skuId, desktop apps, service plans)
SKUS: dict[str, tuple[str, bool, tuple[str, ...]]] = {
    "ENTERPRISEPACK": (
        "6fd2c87f-b296-42f0-b197-1e91e994b900",
        True,
        (
            "EXCHANGE_S_ENTERPRISE",
            "OFFICESUBSCRIPTION",
            "SHAREPOINTENTERPRISE",
            "TEAMS1",
            "MCOSTANDARD",
            "YAMMER_ENTERPRISE",
            "SWAY",
            "FORMS_PLAN_E3",
            "RMS_S_ENTERPRISE",
        ),
    ),
    "SPE_E3": (
        "05e9a617-0261-4cee-bb44-138d3ef5d965",
        True,
        (
            "EXCHANGE_S_ENTERPRISE",
            "OFFICESUBSCRIPTION",
            "SHAREPOINTENTERPRISE",
            "TEAMS1",
            "INTUNE_A",
            "AAD_PREMIUM",
            "RMS_S_ENTERPRISE",
            "YAMMER_ENTERPRISE",
        ),
    ),
    "SPE_E5": (
        "06ebc4ee-1bb5-47dd-8120-11324bc54e06",
        True,
        (
            "EXCHANGE_S_ENTERPRISE",
            "OFFICESUBSCRIPTION",
            "SHAREPOINTENTERPRISE",
            "TEAMS1",
            "INTUNE_A",
            "AAD_PREMIUM",
            "RMS_S_ENTERPRISE",
            "MCOSTANDARD",
        ),
    ),
    "SPB": (
        "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46",
        True,
        (
            "EXCHANGE_S_STANDARD",
            "OFFICESUBSCRIPTION",
            "SHAREPOINTSTANDARD",
            "TEAMS1",
            "INTUNE_A",
            "AAD_PREMIUM",
        ),
    ),
    "O365_BUSINESS_PREMIUM": (
        "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
        True,
        ("EXCHANGE_S_STANDARD", "OFFICESUBSCRIPTION", "SHAREPOINTSTANDARD", "TEAMS1", "SWAY"),
    ),
    "OFFICESUBSCRIPTION": (
        "c2273bd0-dff7-4215-9ef5-2c7bcfb06425",
        True,
        ("OFFICESUBSCRIPTION", "SWAY"),
    ),
    "STANDARDPACK": (
        "18181a46-0d4e-45cd-891e-60aabd171b4e",
        False,
        ("EXCHANGE_S_STANDARD", "SHAREPOINTSTANDARD", "TEAMS1", "MCOSTANDARD"),
    ),
    "DESKLESSPACK": (
        "4b585984-651b-448a-9e53-3b10f069cf7f",
        False,
        ("EXCHANGE_S_DESKLESS", "SHAREPOINTSTANDARD", "TEAMS1"),
    ),
    "SPE_F1": (
        "66b55226-6b4f-492c-910c-a3b7a3c9d993",
        False,
        ("EXCHANGE_S_DESKLESS", "TEAMS1", "INTUNE_A", "AAD_PREMIUM"),
    ),
    "O365_BUSINESS_ESSENTIALS": (
        "3b555118-da6a-4418-894f-7df1e2096870",
        False,
        ("EXCHANGE_S_STANDARD", "SHAREPOINTSTANDARD", "TEAMS1"),
    ),
    "EXCHANGESTANDARD": ("4b9405b0-7788-4568-add1-99614e613b69", False, ("EXCHANGE_S_STANDARD",)),
    "EXCHANGEENTERPRISE": (
        "19ec0d23-8335-4cbd-94ac-6050e30712fa",
        False,
        ("EXCHANGE_S_ENTERPRISE",),
    ),
}
DESKTOP_SKUS = tuple(k for k, v in SKUS.items() if v[1])
SMALL_SCREEN_SKUS = tuple(k for k, v in SKUS.items() if not v[1])
UNKNOWN_SKUS = ("CONTOSO_CUSTOM_BUNDLE", "VISIOCLIENT_TRIAL_X", "LEGACY_PLAN_2009")

APP_CONFIG_KEYS = (
    ("com.microsoft.outlook.Mail.BlockExternalImagesEnabled", ("true", "false")),
    ("com.microsoft.outlook.Mail.DefaultSignatureEnabled", ("true", "false")),
    ("com.microsoft.outlook.Mail.SuggestedRepliesEnabled", ("true", "false")),
    ("com.microsoft.outlook.Mail.TextPredictionsEnabled", ("true", "false")),
    ("com.microsoft.outlook.Calendar.NativeSyncAvailable", ("true", "false")),
    ("com.microsoft.outlook.Settings.OfficeFeedEnabled", ("true", "false")),
    ("com.microsoft.outlook.Mail.ExternalRecipientsToolTipEnabled", ("true",)),
    ("com.microsoft.outlook.Mail.PlayMyEmailsEnabled", ("false",)),
    ("com.microsoft.outlook.Mail.SMIMEEnabled", ("true", "false")),
)
SOFT_RESET_KEYS = (
    "com.microsoft.outlook.Mail.FocusedInbox",
    "com.microsoft.outlook.Mail.OrganizeByThreadEnabled",
)

ACTIVESYNC_OTHER_RULES = (
    ("DeviceModel", "iPhone", "Allow"),
    ("DeviceModel", "iPad", "Allow"),
    ("DeviceType", "iPhone", "Allow"),
    ("DeviceModel", "SAMSUNG-SM-G900A", "Block"),
    ("DeviceOS", "Android 4.4.2", "Block"),
    ("DeviceOS", "iOS 12.5.7 16H81", "Block"),
    ("UserAgent", "TouchDown(MSRPC)/8.4.00082", "Block"),
    ("UserAgent", "Android-Mail/7.8.2", "Quarantine"),
    ("DeviceType", "Android", "Quarantine"),
    ("DeviceType", "WindowsMail", "Block"),
    ("DeviceModel", "Nine", "Block"),
    ("XMSWLHeader", "MDM-Compliant", "Allow"),
)
OUTLOOK_ACTIVESYNC = (
    ("DeviceModel", "Outlook for iOS and Android"),
    ("DeviceType", "Outlook"),
    ("UserAgent", "Outlook-iOS/2.0"),
    ("UserAgent", "Outlook-Android/2.0"),
)
EMM_VENDORS = ("Microsoft Intune", "VMware Workspace ONE", "Ivanti EPMM", "MaaS360")
EXCHANGE_VERSIONS = ("2019 CU12", "2019 CU13", "2019 CU14", "2016 CU23")
CLEAN_LIFETIMES = (
    "01:00:00",
    "02:00:00",
    "04:00:00",
    "08:00:00",
    "12:00:00",
    "23:59:59",
    "1.00:00:00",
)
ENGINEERS = ("j.doe", "a.vance", "m.bowen", "p.gupta", "l.gu", "n.langer", "msp-automation")
