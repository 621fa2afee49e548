"""Own-channel questionnaire v1: the questions of docs/domain.md "Own channels" as plain data.

Asked of the brand about one of its own channels (website, WeChat official account and mini program, app,
social accounts), not of a vendor: it addresses 本渠道 and 我方, never a company's licence or subcontractors.
A migration loads it into the QuestionnaireTemplate of subject own_channel, version 1; like template_v1 it
must stay importable without Django and must not change once released (publish template_channel_v2.py).

The builders and the condition language are those of template_v1 (reviews/questionnaire/scoring.py). The
`@category` clause reads the channel's kind here (vendors.models.ChannelKind values). Question codes never
reuse a vendor question's code: the tier floors (reviews/questionnaire/tiering.py) read answers by code.
"""

from .template_v1 import (
    NO,
    YES,
    _among,
    _choice,
    _is,
    _no_file,
    _question,
    _red_flag,
    _risk,
    _section,
)

TEMPLATE = {
    "subject": "own_channel",
    "version": 1,
    "title_zh": "品牌自有渠道个人信息合规审核问卷",
    "title_en": "Brand-owned channel PIPL review questionnaire",
}

# Channel kinds with software of their own: third-party SDKs and system permissions are asked of them.
SOFTWARE = ["app", "mini_program"]

SECTION_N = _section(
    "N",
    "隐私政策与告知",
    "Privacy notice",
    [
        _question(
            "N1",
            "yn",
            "本渠道是否已发布隐私政策（个人信息保护政策），且用户在注册、登录、关注或首次使用时即可查阅？"
            "请上传隐私政策全文及其展示位置的截图。",
            "Has this channel published a privacy policy that users can read when they sign up, log in, follow "
            "or first use it? Upload the full policy and a screenshot of where it is shown.",
            file_required=True,
            evidence_kind="privacy_policy",
            legal_basis="PIPL Art. 17",
            rules=[
                _red_flag(
                    [_is(NO)],
                    "渠道收集个人信息却未公开隐私政策，未履行告知义务（《个人信息保护法》第十七条）。",
                    "The channel collects personal information without a published privacy policy, so "
                    "individuals are not informed (PIPL Art. 17).",
                ),
            ],
        ),
        _question(
            "N2",
            "text",
            "请写明用户查阅隐私政策的位置或路径（如“官网页脚—隐私政策”“小程序—我的—设置—隐私政策”）。",
            "Where do users find the privacy policy (e.g. “website footer → Privacy”, “mini program → Me → "
            "Settings → Privacy policy”)?",
            legal_basis="PIPL Art. 17",
        ),
        _question(
            "N3",
            "yn",
            "隐私政策是否写明本渠道收集的个人信息种类、处理目的和方式、保存期限、个人行使权利的方式，"
            "以及我方的名称和联系方式？",
            "Does the policy state what personal information the channel collects, why and how, how long it is "
            "kept, how individuals exercise their rights, and our name and contact details?",
            legal_basis="PIPL Art. 17",
            rules=[
                _risk(
                    15,
                    [_is(NO)],
                    "隐私政策缺少法定告知事项（《个人信息保护法》第十七条）。",
                    "The privacy policy lacks items the law requires it to state (PIPL Art. 17).",
                ),
            ],
        ),
    ],
)

SECTION_K = _section(
    "K",
    "同意与单独同意",
    "Consent and separate consent",
    [
        _question(
            "K1",
            "choice",
            "本渠道如何取得用户对处理其个人信息的同意？请上传同意界面的文本及截图。",
            "How does the channel obtain users' consent to processing their personal information? Upload the "
            "consent texts and screenshots.",
            choices=[
                _choice(
                    "active",
                    "用户主动勾选或点击同意（未默认勾选）",
                    "The user ticks or clicks to agree (nothing pre-ticked)",
                ),
                _choice(
                    "implied",
                    "默认勾选，或以继续使用视为同意",
                    "Pre-ticked, or continued use counts as consent",
                ),
                _choice("none", "不取得同意", "No consent is obtained"),
            ],
            has_file=True,
            evidence_kind="consent_text",
            legal_basis="PIPL Art. 14",
            rules=[
                _red_flag(
                    [_is("none")],
                    "渠道处理个人信息不取得同意，且无其他合法性基础（《个人信息保护法》第十三条、第十四条）。",
                    "The channel processes personal information without consent or another legal basis "
                    "(PIPL Art. 13, 14).",
                ),
                _risk(
                    20,
                    [_is("implied")],
                    "默认勾选或以继续使用视为同意，不是自愿、明确作出的同意（《个人信息保护法》第十四条）。",
                    "A pre-ticked box or continued use is not consent given freely and explicitly "
                    "(PIPL Art. 14).",
                ),
            ],
        ),
        _question(
            "K2",
            "yn",
            "本渠道收集的个人信息是否提供给我方以外的其他个人信息处理者（如合作品牌、广告平台、经销商）？",
            "Is personal information the channel collects provided to handlers other than us (partner brands, "
            "ad platforms, distributors)?",
            has_detail=True,
            legal_basis="PIPL Art. 23",
        ),
        _question(
            "K3",
            "yn",
            "提供前是否告知接收方的名称、联系方式、处理目的和方式及信息种类，并取得用户的单独同意？"
            "请上传单独同意的界面截图。",
            "Before it is provided, are users told the recipient's name, contact, purpose, means and the kinds "
            "of data, and is their separate consent obtained? Upload screenshots of the separate consent.",
            has_file=True,
            evidence_kind="separate_consent",
            legal_basis="PIPL Art. 23",
            show_if=[_is(YES, q="K2")],
            rules=[
                _red_flag(
                    [_is(NO)],
                    "向其他处理者提供个人信息未取得单独同意（《个人信息保护法》第二十三条）。",
                    "Personal information is provided to another handler without separate consent "
                    "(PIPL Art. 23).",
                ),
            ],
        ),
        _question(
            "K4",
            "yn",
            "本渠道是否收集敏感个人信息（如人脸等生物识别信息、精确位置、健康信息、金融账户、身份证件号码）？",
            "Does the channel collect sensitive personal information (face or other biometrics, precise "
            "location, health, financial accounts, ID numbers)?",
            has_detail=True,
            legal_basis="PIPL Art. 28",
        ),
        _question(
            "K5",
            "yn",
            "收集敏感个人信息前，是否告知其必要性及对个人权益的影响，并取得用户的单独同意？",
            "Before collecting sensitive personal information, are users told why it is needed and how it "
            "affects them, and is their separate consent obtained?",
            legal_basis="PIPL Art. 29, 30",
            show_if=[_is(YES, q="K4")],
            rules=[
                _red_flag(
                    [_is(NO)],
                    "收集敏感个人信息未取得单独同意（《个人信息保护法》第二十九条）。",
                    "Sensitive personal information is collected without separate consent (PIPL Art. 29).",
                ),
            ],
        ),
    ],
)

SECTION_S = _section(
    "S",
    "第三方SDK与权限",
    "Third-party SDKs and permissions",
    [
        _question(
            "S1",
            "choice",
            "本渠道是否集成第三方SDK或插件（统计、推送、支付、登录、广告等）？集成的，请上传SDK清单："
            "名称、提供方、用途、收集的个人信息及其隐私政策链接。",
            "Does the channel embed third-party SDKs or plug-ins (analytics, push, payment, login, ads)? If so, "
            "upload the SDK list: name, provider, purpose, the personal information each collects and a link "
            "to its privacy policy.",
            choices=[
                _choice("listed", "已集成，清单见附件", "Yes, the list is attached"),
                _choice("none", "未集成任何第三方SDK或插件", "None embedded"),
                _choice("unknown", "不清楚集成了哪些SDK", "We do not know which SDKs are embedded"),
            ],
            has_file=True,
            evidence_kind="sdk_list",
            legal_basis="PIPL Art. 17, 23; GB/T 35273-2020 9.7",
            show_if=[_among(SOFTWARE, q="@category")],
            rules=[
                _red_flag(
                    [_is("unknown")],
                    "不清楚渠道集成的第三方SDK及其收集的个人信息，无法向用户告知（《个人信息保护法》第十七条）。",
                    "Nobody knows which third-party SDKs the channel embeds or what they collect, so users "
                    "cannot be told (PIPL Art. 17).",
                ),
                _red_flag(
                    [_is("listed"), _no_file()],
                    "称已集成SDK但未上传SDK清单，视同不清楚SDK收集的信息（《个人信息保护法》第十七条）。",
                    "SDKs are said to be embedded but no SDK list is uploaded, so what they collect is unknown "
                    "(PIPL Art. 17).",
                ),
            ],
        ),
        _question(
            "S2",
            "yn",
            "隐私政策是否逐一列明各第三方SDK的名称、提供方、收集的个人信息种类和目的？",
            "Does the privacy policy name each third-party SDK, its provider, the personal information it "
            "collects and why?",
            legal_basis="PIPL Art. 17, 23",
            show_if=[_is("listed", q="S1")],
            rules=[
                _risk(
                    15,
                    [_is(NO)],
                    "隐私政策未列明第三方SDK收集个人信息的情况（《个人信息保护法》第十七条、第二十三条）。",
                    "The privacy policy does not tell users what the third-party SDKs collect (PIPL Art. 17, "
                    "23).",
                ),
            ],
        ),
        _question(
            "S3",
            "yn",
            "在用户同意隐私政策之前，是否有SDK已开始收集个人信息（如设备标识、位置、剪贴板）？",
            "Does any SDK start collecting personal information (device identifiers, location, clipboard) "
            "before the user agrees to the privacy policy?",
            legal_basis="PIPL Art. 14",
            show_if=[_is("listed", q="S1")],
            rules=[
                _red_flag(
                    [_is(YES)],
                    "SDK在用户同意前即收集个人信息（《个人信息保护法》第十四条）。",
                    "An SDK collects personal information before the user consents (PIPL Art. 14).",
                ),
            ],
        ),
        _question(
            "S4",
            "text",
            "请列出本渠道申请的系统或平台权限（如位置、相机、麦克风、通讯录、相册、手机号授权）及各自用途。",
            "List the system or platform permissions the channel asks for (location, camera, microphone, "
            "contacts, photos, phone number) and what each is for.",
            legal_basis="PIPL Art. 6",
            show_if=[_among(SOFTWARE, q="@category")],
        ),
        _question(
            "S5",
            "yn",
            "每项权限和每类个人信息是否都是所述功能所必需，且用户拒绝非必要权限后仍可使用基本功能？",
            "Is every permission and every kind of personal information needed for the function it serves, "
            "and can users who refuse a permission that is not needed still use the basic functions?",
            legal_basis="PIPL Art. 6, 16",
            show_if=[_among(SOFTWARE, q="@category")],
            rules=[
                _red_flag(
                    [_is(NO)],
                    "超出必要范围索取权限，或用户拒绝非必要权限即无法使用基本功能"
                    "（《个人信息保护法》第六条、第十六条）。",
                    "The channel asks for more than it needs, or refuses its basic functions to users who "
                    "decline a permission it does not need (PIPL Art. 6, 16).",
                ),
            ],
        ),
    ],
)

SECTION_U = _section(
    "U",
    "账号安全",
    "Account security",
    [
        _question(
            "U1",
            "choice",
            "本渠道的后台账号由谁管理、如何登录？",
            "Who administers the channel's back-office account, and how do they log in?",
            help_zh="管理员须为具名人员，各自使用个人账号或子账号登录；请勿在此填写任何密码。",
            help_en="Administrators are named people, each logging in with their own account or sub-account; "
            "never write a password here.",
            choices=[
                _choice(
                    "named",
                    "我方具名员工，各自使用个人账号或子账号",
                    "Named staff of ours, each with their own account or sub-account",
                ),
                _choice("agency", "代运营服务商的具名人员", "Named staff of an agency that runs the channel"),
                _choice("shared", "多人共用同一账号和密码", "Several people share one login and password"),
            ],
            legal_basis="PIPL Art. 51",
            rules=[
                _red_flag(
                    [_is("shared")],
                    "多人共用账号和密码，操作无法追溯到人，离职人员的权限也无法单独收回"
                    "（《个人信息保护法》第五十一条）。",
                    "A shared login makes no action traceable to a person, and a leaver's access cannot be "
                    "withdrawn alone (PIPL Art. 51).",
                ),
                _risk(
                    10,
                    [_is("agency")],
                    "渠道由代运营服务商管理，该服务商须作为供应商另行审核（《个人信息保护法》第二十一条）。",
                    "An agency runs the channel: that agency must be vetted as a vendor (PIPL Art. 21).",
                    legal_basis="PIPL Art. 21",
                ),
            ],
        ),
        _question(
            "U2",
            "yn",
            "管理员登录是否启用双重验证（如扫码确认、短信验证码或动态口令）？请上传管理员清单及双重验证设置的截图。",
            "Do administrators log in with two-factor authentication (QR-code confirmation, SMS code or "
            "one-time password)? Upload the list of administrators and screenshots of the two-factor setting.",
            has_file=True,
            evidence_kind="account_security",
            legal_basis="PIPL Art. 51",
            rules=[
                _risk(
                    15,
                    [_is(NO)],
                    "管理员登录未启用双重验证，账号被盗即可导出粉丝或会员数据（《个人信息保护法》第五十一条）。",
                    "Administrators log in without a second factor: a stolen password exposes the follower "
                    "or member data (PIPL Art. 51).",
                ),
                _risk(
                    5,
                    [_is(YES), _no_file()],
                    "未上传双重验证设置或管理员清单的截图（《个人信息保护法》第五十一条）。",
                    "No screenshot of the two-factor setting or of the administrators is uploaded (PIPL Art. 51).",
                ),
            ],
        ),
        _question(
            "U3",
            "yn",
            "管理员离职或转岗时，是否在当日收回其权限并留存记录？",
            "When an administrator leaves or changes role, is their access withdrawn the same day, with a "
            "record kept?",
            has_detail=True,
            legal_basis="PIPL Art. 51",
            rules=[
                _risk(
                    15,
                    [_is(NO)],
                    "管理员离职后权限未及时收回（《个人信息保护法》第五十一条）。",
                    "A leaver's access is not withdrawn promptly (PIPL Art. 51).",
                ),
            ],
        ),
    ],
)

SECTION_X = _section(
    "X",
    "数据流向与导出",
    "Where the data goes",
    [
        _question(
            "X1",
            "text",
            "粉丝、会员或用户的数据存放在哪里，流向我方哪些系统（如平台后台、CDP、CRM、会员系统）？",
            "Where is the follower, member or user data kept, and which of our systems does it flow to "
            "(the platform's back office, CDP, CRM, loyalty system)?",
            legal_basis="PIPL Art. 51",
        ),
        _question(
            "X2",
            "choice",
            "谁可以从平台后台导出粉丝或会员数据？",
            "Who can export follower or member data from the platform's back office?",
            choices=[
                _choice(
                    "restricted",
                    "仅具名管理员，导出须审批并留痕",
                    "Named administrators only, with approval and a record",
                ),
                _choice(
                    "anyone",
                    "所有有后台权限的人，无审批或记录",
                    "Anyone with back-office access, without approval or record",
                ),
                _choice("not_possible", "平台不支持导出", "The platform allows no export"),
            ],
            legal_basis="PIPL Art. 51",
            rules=[
                _risk(
                    15,
                    [_is("anyone")],
                    "数据导出不受控制、无记录（《个人信息保护法》第五十一条）。",
                    "Exports are uncontrolled and unrecorded (PIPL Art. 51).",
                ),
            ],
        ),
        _question(
            "X3",
            "yn",
            "渠道数据是否出境或可从境外访问（如境外总部系统、境外服务器、境外代理商）？",
            "Does the channel's data leave China or is it reachable from abroad (a head-office system, "
            "servers or an agency abroad)?",
            has_detail=True,
            has_file=True,
            evidence_kind="cross_border",
            legal_basis="PIPL Art. 38-40",
        ),
    ],
)

SECTION_Y = _section(
    "Y",
    "未成年人与个人权利",
    "Children and individuals' rights",
    [
        _question(
            "Y1",
            "yn",
            "本渠道是否面向或可能收集不满十四周岁未成年人的个人信息？",
            "Is the channel aimed at children under 14, or may it collect their personal information?",
            legal_basis="PIPL Art. 31",
        ),
        _question(
            "Y2",
            "yn",
            "是否取得其父母或其他监护人的同意，并制定专门的未成年人个人信息处理规则？",
            "Is the consent of a parent or guardian obtained, and are there dedicated rules for children's "
            "personal information?",
            legal_basis="PIPL Art. 31",
            show_if=[_is(YES, q="Y1")],
            rules=[
                _red_flag(
                    [_is(NO)],
                    "处理不满十四周岁未成年人的个人信息未取得监护人同意或无专门规则（《个人信息保护法》第三十一条）。",
                    "Children's personal information is processed without a guardian's consent or dedicated "
                    "rules (PIPL Art. 31).",
                ),
            ],
        ),
        _question(
            "R1",
            "yn",
            "用户能否在渠道内查阅、复制、更正、删除其个人信息，并注销账号或解除会员绑定？请在说明中写明路径。",
            "Can users see, copy, correct and delete their personal information in the channel, and close "
            "their account or unbind their membership? Give the path in the details.",
            has_detail=True,
            legal_basis="PIPL Art. 44-47",
            rules=[
                _risk(
                    15,
                    [_is(NO)],
                    "用户无法在渠道内行使查阅、更正、删除等权利或注销账号（《个人信息保护法》第四十四条至第四十七条）。",
                    "Users cannot exercise their rights of access, correction or deletion, or close their "
                    "account, in the channel (PIPL Art. 44-47).",
                ),
            ],
        ),
        _question(
            "R2",
            "yn",
            "用户能否像给予同意一样便捷地撤回同意（如关闭个性化推荐、退订营销消息）？",
            "Can users withdraw consent as easily as they gave it (turn off personalised recommendations, "
            "unsubscribe from marketing messages)?",
            legal_basis="PIPL Art. 15, 24",
            rules=[
                _risk(
                    15,
                    [_is(NO)],
                    "撤回同意不如给予同意便捷（《个人信息保护法》第十五条）。",
                    "Withdrawing consent is harder than giving it (PIPL Art. 15).",
                ),
            ],
        ),
        _question(
            "R3",
            "yn",
            "是否有受理个人权利请求的渠道，并在规定期限内答复（拒绝的说明理由）？",
            "Is there a way to make a rights request, answered in time (a refusal with its reasons)?",
            legal_basis="PIPL Art. 50",
            rules=[
                _risk(
                    10,
                    [_is(NO)],
                    "没有受理和处理个人权利请求的机制（《个人信息保护法》第五十条）。",
                    "There is no way to receive and handle individuals' requests (PIPL Art. 50).",
                ),
            ],
        ),
    ],
)

SECTION_I = _section(
    "I",
    "安全事件",
    "Incidents",
    [
        _question(
            "I1",
            "yn",
            "本渠道是否有账号被盗、数据泄露等安全事件的应急预案，写明通知法务和安全部门、告知用户及向主管部门报告的步骤？"
            "请上传预案。",
            "Is there a plan for incidents such as a hijacked account or a data leak, with the steps to tell "
            "Legal and Security, inform users and report to the authorities? Upload it.",
            has_file=True,
            evidence_kind="incident_plan",
            legal_basis="PIPL Art. 51, 57",
            rules=[
                _risk(
                    20,
                    [_is(NO)],
                    "渠道没有安全事件应急预案（《个人信息保护法》第五十一条、第五十七条）。",
                    "The channel has no incident plan (PIPL Art. 51, 57).",
                ),
            ],
        ),
        _question(
            "I2",
            "choice",
            "近三年本渠道是否发生过账号被盗或个人信息泄露事件？",
            "Has the channel had a hijacked account or a personal information leak in the last three years?",
            choices=[
                _choice("none", "没有", "None"),
                _choice("handled", "发生过，已补救并按规定通知", "Yes, remedied and notified as required"),
                _choice("unhandled", "发生过，尚未补救或未通知", "Yes, not yet remedied or not notified"),
            ],
            has_detail=True,
            legal_basis="PIPL Art. 57",
            rules=[
                _red_flag(
                    [_is("unhandled")],
                    "安全事件尚未补救或未履行通知义务（《个人信息保护法》第五十七条）。",
                    "An incident is not remedied or not notified (PIPL Art. 57).",
                ),
                _risk(
                    10,
                    [_is("handled")],
                    "近三年发生过安全事件，须核实整改情况（《个人信息保护法》第五十七条）。",
                    "An incident occurred in the last three years: check its remediation (PIPL Art. 57).",
                ),
            ],
        ),
    ],
)

SECTIONS = [SECTION_N, SECTION_K, SECTION_S, SECTION_U, SECTION_X, SECTION_Y, SECTION_I]
