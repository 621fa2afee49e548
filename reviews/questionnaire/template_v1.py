"""Questionnaire v1: the due-diligence questionnaire of docs/domain.md "The questionnaire" as plain data.

Migration 0003 loads it into QuestionnaireTemplate version 1, so this module must stay importable without
Django and must not change once released: reviews keep the version they started with, and a fresh database
must rebuild exactly what earlier ones hold. Publish changes as questionnaire_v2.py with its own migration.

Each question is a dict of Question field values (the migration adds section and order). The condition
language of `show_if` and `rules` is documented in reviews/questionnaire/scoring.py. Answers: "yes"/"no" for yn questions,
a choice value for choice questions, a list of values for multi questions, and the detail text for text
questions.

Where a question reads as a plain yes/no or file but a red flag or risk has to tell two cases apart, the question is
asked as a choice or as yes/no with a file (A2, A3, A4, B3, C5, C6, D5, D9, G1, H1), so that every rule is
decided by the answer itself. Evidence-kind values are those of reviews.models.EvidenceKind.

Legal-basis strings cite the article numbers of docs/domain.md "The law". The Cybersecurity Law was renumbered
(+2 from old Art. 19 on) by the amendment in force since 2026-01-01; both numbers are given.
"""

import sys

from .publish import publish_template

TEMPLATE = {
    "version": 1,
    "title_zh": "营销供应商个人信息合规尽职调查问卷",
    "title_en": "Marketing vendor PIPL due-diligence questionnaire",
}

YES, NO = "yes", "no"

CSL_MLPS = "CSL Art. 21 (Art. 23 since 2026-01-01)"
CSL_MLPS_ZH = "《网络安全法》第二十一条（2026年1月1日起为第二十三条）"


# Small builders, so that every question dict carries every field and the rules read like the spec.


def _question(
    code,
    answer_type,
    text_zh,
    text_en,
    *,
    help_zh="",
    help_en="",
    choices=(),
    has_detail=False,
    detail_required=False,
    has_file=False,
    file_required=False,
    evidence_kind="",
    legal_basis="",
    rules=(),
    show_if=(),
    required=True,
):
    return {
        "code": code,
        "answer_type": answer_type,
        "text_zh": text_zh,
        "text_en": text_en,
        "help_zh": help_zh,
        "help_en": help_en,
        "choices": list(choices),
        "has_detail": has_detail or detail_required,
        "detail_required": detail_required,
        "has_file": has_file or file_required,
        "file_required": file_required,
        "evidence_kind": evidence_kind,
        "legal_basis": legal_basis,
        "rules": list(rules),
        "show_if": list(show_if),
        "required": required,
    }


def _choice(value, zh, en):
    return {"value": value, "zh": zh, "en": en}


def _is(value, q="self"):
    return {"q": q, "op": "eq", "value": value}


def _among(values, q="self"):
    return {"q": q, "op": "in", "value": list(values)}


def _lacks(value):
    return {"q": "self", "op": "lacks", "value": value}


def _no_file():
    return {"q": "self", "op": "no_file"}


def _blank():
    return {"q": "self", "op": "blank"}


def _filled():
    return {"q": "self", "op": "blank", "value": False}


def _answered():
    return {"q": "self", "op": "answered"}


def _red_flag(when, zh, en, **extra):
    return {"effect": "red_flag", "when": list(when), "message_zh": zh, "message_en": en, **extra}


def _risk(points, when, zh, en, **extra):
    return {
        "effect": "risk",
        "points": points,
        "when": list(when),
        "message_zh": zh,
        "message_en": en,
        **extra,
    }


def _section(code, title_zh, title_en, questions):
    return {"code": code, "title_zh": title_zh, "title_en": title_en, "questions": questions}


SECTION_A = _section(
    "A",
    "主体与资质",
    "Company and qualifications",
    [
        _question(
            "A1",
            "text",
            "请填写贵司的统一社会信用代码（18位）。",
            "Your company's Unified Social Credit Code (18 characters).",
            help_zh="系统按GB 32100-2015校验校验位。校验未通过仅作提示（部分早期试点代码校验位不符但合法有效），"
            "请在国家企业信用信息公示系统核实。",
            help_en="The check character is verified under GB 32100-2015. A failed check is only a warning "
            "(some early pilot codes are valid yet fail it): verify the code on the National Enterprise "
            "Credit Information Publicity System.",
            legal_basis="GB 32100-2015",
        ),
        _question(
            "A2",
            "yn",
            "贵司营业执照的经营范围是否涵盖本次提供的服务？请上传营业执照副本扫描件。",
            "Does the business scope on your business licence cover the service you will provide to us? "
            "Upload a scan of the licence.",
            help_zh="经营范围以国家企业信用信息公示系统的登记为准。",
            help_en="The scope registered on the National Enterprise Credit Information "
            "Publicity System prevails.",
            file_required=True,
            evidence_kind="business_licence",
            legal_basis="GB/T 35273-2020 9.1; NDSMR Art. 31",
            rules=[
                _risk(
                    10,
                    [_is(NO)],
                    "营业执照经营范围未涵盖本服务，供应商不具备相应经营资质（GB/T 35273-2020第9.1条）。",
                    "The business licence does not cover this service, so the vendor lacks the qualification "
                    "for it (GB/T 35273-2020 9.1).",
                ),
            ],
        ),
        _question(
            "A3",
            "yn",
            "贵司是否持有涵盖本服务的增值电信业务经营许可证及短信端口码号证书？请上传证照，"
            "并在说明中填写许可证编号及算法备案编号（如使用算法推荐）。",
            "Do you hold a value-added telecommunications business licence and an SMS short-code certificate "
            "covering this service? Upload them and give the licence number, and the algorithm filing number if "
            "you use recommendation algorithms, in the details.",
            help_zh="仅向短信/邮件营销服务商提问。",
            help_en="Asked of SMS and email marketing senders only.",
            has_detail=True,
            has_file=True,
            evidence_kind="telecom_licence",
            legal_basis="Telecommunications Regulations Art. 7; Ad Law Art. 43",
            show_if=[_is("sms_edm", q="@category")],
            rules=[
                _red_flag(
                    [_is(NO)],
                    "短信/邮件营销服务商未持有增值电信业务经营许可证，不得引入（《电信条例》第七条）。",
                    "An SMS/EDM sender without a value-added telecom licence cannot be onboarded "
                    "(Telecommunications Regulations Art. 7).",
                ),
                _red_flag(
                    [_is(YES), _no_file()],
                    "声称持有电信业务经营许可证但未上传证照，视同未持证（《电信条例》第七条）。",
                    "A telecom licence is claimed but not uploaded, so it counts as not held "
                    "(Telecommunications Regulations Art. 7).",
                ),
            ],
        ),
        _question(
            "A4",
            "choice",
            "近三年内，贵司是否因个人信息、数据安全或广告违法受到行政处罚，或涉及刑事案件？",
            "In the last three years, has your company received an administrative penalty for a "
            "personal-information, data-security or advertising violation, or been involved in a criminal case?",
            help_zh="两者均有的，请选择“涉及刑事案件”。请在说明中列明处罚机关或办案机关、"
            "文书编号、事由及整改情况。",
            help_en="If both apply, choose “Criminal case”. In the details give the authority, document number, "
            "the facts and the remediation.",
            choices=[
                _choice("none", "无", "None"),
                _choice("penalty", "受到行政处罚", "Administrative penalty"),
                _choice(
                    "criminal",
                    "涉及刑事案件（含立案侦查、起诉或判决）",
                    "Criminal case (investigation, prosecution or judgment)",
                ),
            ],
            has_detail=True,
            legal_basis="Criminal Law Art. 253-1; PIPL Art. 66; NDSMR Art. 31",
            rules=[
                _red_flag(
                    [_is("criminal")],
                    "近三年涉及侵犯公民个人信息等刑事案件，属一票否决情形（《刑法》第二百五十三条之一）。",
                    "A criminal case in the last three years, such as infringing citizens' personal "
                    "information, is an automatic blocker (Criminal Law Art. 253-1).",
                ),
                _risk(
                    15,
                    [_is("penalty")],
                    "近三年因个人信息、数据或广告违法受到行政处罚，须核实整改情况"
                    "（《个人信息保护法》第六十六条）。",
                    "An administrative penalty for a data or advertising violation in the last three years "
                    "needs its remediation checked (PIPL Art. 66).",
                ),
                _risk(
                    5,
                    [_among(["penalty", "criminal"]), _blank()],
                    "未说明处罚或案件的机关、文号及事由，无法评估供应商的合规记录"
                    "（《网络数据安全管理条例》第三十一条）。",
                    "The penalty or case is not described (authority, reference, facts), so the vendor's "
                    "compliance record cannot be assessed (NDSMR Art. 31).",
                ),
            ],
        ),
        _question(
            "A5",
            "choice",
            "贵司处理个人信息所涉及的自然人数量为？",
            "How many individuals' personal information do you process?",
            help_zh="达到100万人的，应当指定个人信息保护负责人；超过1000万人的，应当至少每两年开展一次合规审计。",
            help_en="At 1 million individuals a personal information protection officer must be appointed; above "
            "10 million a compliance audit is required at least every two years.",
            choices=[
                _choice("lt100k", "不满10万人", "Fewer than 100,000"),
                _choice("100k_1m", "10万人以上不满100万人", "100,000 to under 1 million"),
                _choice("1m_10m", "100万人以上不满1000万人", "1 million to under 10 million"),
                _choice("gt10m", "1000万人以上", "10 million or more"),
            ],
            legal_basis="PIPL Art. 52, 54",
        ),
        _question(
            "A6",
            "text",
            "请填写贵司个人信息保护负责人的姓名、职务及联系方式，并上传向履行个人信息保护职责的部门报送的回执。",
            "Name, position and contact details of your personal information protection officer. Upload the "
            "receipt for reporting the officer to the authority.",
            help_zh="处理个人信息达到100万人的须填写。",
            help_en="Required when you process the personal information of 1 million individuals or more.",
            has_file=True,
            evidence_kind="pipo_filing",
            legal_basis="PIPL Art. 52",
            show_if=[_among(["1m_10m", "gt10m"], q="A5")],
            rules=[
                _risk(
                    10,
                    [_answered(), _no_file()],
                    "处理个人信息达到100万人，但未提供个人信息保护负责人的报送回执"
                    "（《个人信息保护法》第五十二条）。",
                    "The vendor processes the data of 1 million individuals or more but shows no filing "
                    "receipt for its personal information protection officer (PIPL Art. 52).",
                ),
            ],
        ),
    ],
)

SECTION_B = _section(
    "B",
    "数据来源合法性",
    "Data sources and legality",
    [
        _question(
            "B1",
            "choice",
            "贵司在本服务中使用或向我方提供的数据属于哪种形态？",
            "In what form is the data you use in this service or provide to us?",
            help_zh="去标识化信息仍属于个人信息；只有经匿名化处理、"
            "无法识别特定自然人且不能复原的信息才不属于个人信息。",
            help_en="De-identified data is still personal information; only data anonymised so that it can "
            "neither identify anyone nor be restored falls outside the PIPL.",
            choices=[
                _choice(
                    "identifiable",
                    "可识别特定自然人的个人信息（如手机号、设备标识、OpenID）",
                    "Personal information identifying individuals (e.g. mobile numbers, device IDs, OpenIDs)",
                ),
                _choice(
                    "deidentified",
                    "去标识化信息（如哈希值、加密标识）",
                    "De-identified data (e.g. hashed or encrypted IDs)",
                ),
                _choice("anonymous", "匿名化的统计或聚合数据", "Anonymised statistics or aggregates"),
                _choice(
                    "none",
                    "不使用自有数据，仅处理我方提供的数据",
                    "No data of your own; only data we give you",
                ),
            ],
            legal_basis="PIPL Art. 4, 73(4)",
            rules=[
                _risk(
                    10,
                    [_is("identifiable")],
                    "供应商使用或提供可识别的个人信息，须完整适用个人信息保护要求并证明来源合法"
                    "（《个人信息保护法》第四条、第七十三条第四项）。",
                    "The vendor uses or provides identifiable personal information, so the PIPL applies in "
                    "full and the lawful source must be proven (PIPL Art. 4, 73(4)).",
                ),
            ],
        ),
        _question(
            "B2",
            "choice",
            "上述数据的来源是什么？请在说明中列明具体来源方。",
            "Where does this data come from? Name the specific sources in the details.",
            choices=[
                _choice(
                    "first_party",
                    "通过贵司自有渠道直接向个人收集",
                    "Collected directly from individuals through your own channels",
                ),
                _choice(
                    "partner",
                    "合作方经个人授权后提供",
                    "Provided by partners with the individuals' authorisation",
                ),
                _choice("scraped", "网络爬取或其他技术手段抓取", "Scraped or otherwise harvested"),
                _choice("bought", "购买或交换取得", "Bought or swapped"),
                _choice("other", "其他", "Other"),
            ],
            has_detail=True,
            legal_basis="PIPL Art. 10; CSL Art. 44 (Art. 46 since 2026-01-01); DSL Art. 32; SPC/SPP "
            "Interpretation on PI Crimes (2017) Art. 4; GB/T 35273-2020 5.4",
            show_if=[_among(["identifiable", "deidentified", "anonymous"], q="B1")],
            rules=[
                _red_flag(
                    [_is("identifiable", q="B1"), _among(["bought", "scraped"])],
                    "可识别的个人信息系通过购买、交换或爬取取得，属于非法获取个人信息"
                    "（《个人信息保护法》第十条；“两高”2017年司法解释第四条）。",
                    "Identifiable personal information that was bought, swapped or scraped is illegally "
                    "obtained (PIPL Art. 10; SPC/SPP Interpretation 2017 Art. 4).",
                ),
                _risk(
                    5,
                    [_is("other"), _blank()],
                    "数据来源为“其他”但未说明具体来源，无法核实其合法性（《数据安全法》第三十二条）。",
                    "The source is “other” but not described, so its lawfulness cannot "
                    "be checked (DSL Art. 32).",
                ),
            ],
        ),
        _question(
            "B3",
            "yn",
            "贵司能否提供完整的授权链材料：上游数据供应协议及来源说明、"
            "告知同意文本（含版本）、同意日志样本？请上传。",
            "Can you provide the full authorisation chain: upstream data-supply agreements with a statement of "
            "the source, the notice and consent texts (with versions) and consent-log samples? Upload them.",
            help_zh="数据系自行收集的，提供告知同意文本和同意日志样本即可。",
            help_en="If you collect the data yourself, the consent texts and consent-log samples are enough.",
            has_file=True,
            evidence_kind="upstream_agreement",
            legal_basis="PIPL Art. 14; DSL Art. 33; GB/T 35273-2020 5.4",
            show_if=[_among(["identifiable", "deidentified", "anonymous"], q="B1")],
            rules=[
                _red_flag(
                    [_is(NO)],
                    "无法提供数据授权链，数据来源合法性无法证明（《个人信息保护法》第十四条；"
                    "《数据安全法》第三十三条）。",
                    "The authorisation chain cannot be provided, so the data's lawful source is unproven "
                    "(PIPL Art. 14; DSL Art. 33).",
                ),
                _red_flag(
                    [_is(YES), _no_file()],
                    "未上传授权链材料，视为无法提供（GB/T 35273-2020第5.4条）。",
                    "No authorisation-chain documents are uploaded, which counts as not "
                    "provided (GB/T 35273-2020 5.4).",
                ),
            ],
        ),
        _question(
            "B4",
            "yn",
            "贵司向我方提供个人信息供我方自行处理的，是否已向个人告知我方的名称、联系方式、处理目的、"
            "处理方式和个人信息种类，并取得其单独同意？请上传单独同意的界面截图或记录。",
            "Where you provide personal information to us for our own use, have the individuals been told our "
            "name, contact details, the purpose, method and types of data, and have they given separate consent? "
            "Upload screenshots or records of that consent.",
            help_zh="仅在贵司作为独立个人信息处理者（见D1）时提问。",
            help_en="Asked only when you act as an independent handler (see D1).",
            has_file=True,
            evidence_kind="separate_consent",
            legal_basis="PIPL Art. 23; NDSMR Art. 21, 22",
            show_if=[_is("recipient", q="D1")],
            rules=[
                _red_flag(
                    [_is(NO)],
                    "向我方提供个人信息未取得个人的单独同意，我方不得接收（《个人信息保护法》第二十三条）。",
                    "Personal information is provided to us without the individuals' separate consent, so "
                    "we may not receive it (PIPL Art. 23).",
                ),
                _risk(
                    10,
                    [_is(YES), _no_file()],
                    "声称已取得单独同意但未上传同意证明（《个人信息保护法》第二十三条）。",
                    "Separate consent is claimed but no proof is uploaded (PIPL Art. 23).",
                ),
            ],
        ),
        _question(
            "B5",
            "yn",
            "上述数据是否包含敏感个人信息（生物识别、宗教信仰、特定身份、医疗健康、金融账户、行踪轨迹等，"
            "以及不满十四周岁未成年人的个人信息）？如包含，请上传单独同意（不满十四周岁的为监护人同意）的证明。",
            "Does the data include sensitive personal information (biometrics, religious beliefs, specific "
            "identity, health, financial accounts, location tracks and the like, or data of children under 14)? "
            "If so, upload proof of separate consent (a guardian's consent for children under 14).",
            has_file=True,
            evidence_kind="separate_consent",
            legal_basis="PIPL Art. 28-31",
            show_if=[_is("identifiable", q="B1")],
            rules=[
                _risk(
                    10,
                    [_is(YES)],
                    "涉及敏感个人信息，须具有特定目的和充分必要性并采取严格保护措施"
                    "（《个人信息保护法》第二十八条）。",
                    "Sensitive personal information is involved, which needs a specific purpose, strict "
                    "necessity and strict protection (PIPL Art. 28).",
                ),
                _red_flag(
                    [_is(YES), _no_file()],
                    "处理敏感个人信息但未提供单独同意证明（《个人信息保护法》第二十九条、第三十一条）。",
                    "Sensitive personal information is processed without proof of separate "
                    "consent (PIPL Art. 29, 31).",
                ),
            ],
        ),
        _question(
            "B6",
            "yn",
            "贵司是否已就本服务开展个人信息保护影响评估（PIPIA）？请上传评估报告或摘要。",
            "Have you carried out a personal information protection impact assessment (PIPIA) for this service? "
            "Upload the report or a summary.",
            help_zh="委托处理、向他人提供、自动化决策、处理敏感个人信息及数据出境前均须事前评"
            "估，评估报告至少保存三年。",
            help_en="A prior assessment is required before entrusting or providing data, automated "
            "decisions, processing sensitive data or transferring data abroad; the report is "
            "kept at least three years.",
            has_file=True,
            evidence_kind="pipia",
            legal_basis="PIPL Art. 55, 56",
            rules=[
                _risk(
                    10,
                    [_is(NO)],
                    "未开展个人信息保护影响评估（《个人信息保护法》第五十五条、第五十六条）。",
                    "No PIPIA has been carried out (PIPL Art. 55, 56).",
                ),
                _risk(
                    5,
                    [_is(YES), _no_file()],
                    "声称已开展影响评估但未上传报告或摘要（《个人信息保护法》第五十六条）。",
                    "A PIPIA is claimed but neither the report nor a summary is uploaded (PIPL Art. 56).",
                ),
            ],
        ),
    ],
)

SECTION_C = _section(
    "C",
    "同意与营销触达",
    "Consent and marketing communications",
    [
        _question(
            "C1",
            "yn",
            "短信、电子邮件、电话等营销信息是否仅向已同意或主动请求接收的用户发送？",
            "Do you send marketing SMS, email and calls only to users who have consented to or asked for them?",
            legal_basis="Ad Law Art. 43; PIPL Art. 13, 14",
            rules=[
                _red_flag(
                    [_is(NO)],
                    "未经用户同意或请求即发送商业广告（《广告法》第四十三条）。",
                    "Commercial messages are sent without the recipients' consent or "
                    "request (Ad Law Art. 43).",
                ),
            ],
        ),
        _question(
            "C2",
            "yn",
            "营销信息是否标明发送者的真实身份、联系方式及拒绝继续接收的方式，"
            "营销邮件标题是否以“广告”或“AD”开头？请上传样例截图。",
            "Do your marketing messages state the sender's real identity, contact details and a way "
            "to refuse further messages, and do marketing email subjects begin with “广告” or “AD”? "
            "Upload sample screenshots.",
            has_file=True,
            evidence_kind="marketing_samples",
            legal_basis="Ad Law Art. 43",
            rules=[
                _red_flag(
                    [_is(NO)],
                    "营销信息未标明发送者身份、联系方式或拒收方式（《广告法》第四十三条）。",
                    "Marketing messages lack the sender's identity, contact details or a way to "
                    "refuse (Ad Law Art. 43).",
                ),
                _risk(
                    5,
                    [_is(YES), _no_file()],
                    "未上传营销信息样例截图，无法核实发送者标识及退订方式（《广告法》第四十三条）。",
                    "No sample screenshots are uploaded, so the sender details and opt-out cannot be "
                    "checked (Ad Law Art. 43).",
                ),
            ],
        ),
        _question(
            "C3",
            "text",
            "贵司的同意记录包含哪些字段（如同意时间、渠道、文本版本、用户标识）？"
            "保存期限多长？请上传同意日志样本。",
            "What does your consent log record (e.g. time, channel, text version, user ID), and how long is it "
            "kept? Upload consent-log samples.",
            has_file=True,
            evidence_kind="consent_log",
            legal_basis="PIPL Art. 14, 15; NDSMR Art. 22",
            rules=[
                _risk(
                    10,
                    [_answered(), _no_file()],
                    "未提供同意日志样本，无法证明已取得个人同意（《个人信息保护法》第十四条）。",
                    "No consent-log samples are provided, so consent cannot be proven (PIPL Art. 14).",
                ),
            ],
        ),
        _question(
            "C4",
            "choice",
            "用户退订或撤回同意后，多长时间生效？",
            "How soon does an opt-out or withdrawal of consent take effect?",
            choices=[
                _choice("realtime", "实时生效", "Immediately"),
                _choice("24h", "24小时内", "Within 24 hours"),
                _choice("72h", "72小时内", "Within 72 hours"),
                _choice("gt72h", "超过72小时", "More than 72 hours"),
            ],
            legal_basis="PIPL Art. 15; Ad Law Art. 43",
            rules=[
                _risk(
                    10,
                    [_is("gt72h")],
                    "退订超过72小时才生效，撤回同意不够便捷（《个人信息保护法》第十五条）。",
                    "Opt-outs take more than 72 hours to take effect, so withdrawing consent is not "
                    "easy enough (PIPL Art. 15).",
                ),
            ],
        ),
        _question(
            "C5",
            "yn",
            "贵司隐私政策是否列明第三方接收方（名称、联系方式、处理目的、处理方式和个人信息种类）？"
            "请在说明中填写隐私政策链接。",
            "Does your privacy policy list third-party recipients (name, contact details, purpose, method and "
            "data types)? Give the privacy policy URL in the details.",
            detail_required=True,
            legal_basis="PIPL Art. 17; NDSMR Art. 21",
            rules=[
                _risk(
                    5,
                    [_is(NO)],
                    "隐私政策未列明第三方接收方（《网络数据安全管理条例》第二十一条）。",
                    "The privacy policy does not list third-party recipients (NDSMR Art. 21).",
                ),
            ],
        ),
        _question(
            "C6",
            "yn",
            "贵司的App或小程序是否嵌入第三方SDK？如是，请上传SDK清单（名称、提供方、用途、收集的个人信息）。",
            "Do your apps or mini-programs embed third-party SDKs? If so, upload the SDK list "
            "(name, provider, purpose, personal information collected).",
            has_file=True,
            evidence_kind="privacy_policy",
            legal_basis="GB/T 35273-2020 9.7; NDSMR Art. 21",
            rules=[
                _risk(
                    5,
                    [_is(YES)],
                    "嵌入第三方SDK，须核查其收集的个人信息及接入管理（GB/T 35273-2020第9.7条）。",
                    "Third-party SDKs are embedded, so their data collection and access management must be "
                    "checked (GB/T 35273-2020 9.7).",
                ),
                _risk(
                    5,
                    [_is(YES), _no_file()],
                    "嵌入第三方SDK但未提供SDK清单（GB/T 35273-2020第9.7条）。",
                    "Third-party SDKs are embedded but no SDK list is provided (GB/T 35273-2020 9.7).",
                ),
            ],
        ),
    ],
)

SECTION_D = _section(
    "D",
    "处理与安全",
    "Processing and security",
    [
        _question(
            "D1",
            "choice",
            "在本服务中，贵司相对于我方的角色是？",
            "What is your role towards us in this service?",
            help_zh="角色决定所需的证明材料：受托处理需签署委托处理协议；向我方提供个人信息需提供单独同意证明；"
            "共同处理需约定各自的权利和义务。",
            help_en="The role decides the evidence: an entrusted-processing agreement for a processor, "
            "separate-consent proof when personal information is provided to us, and an agreement on "
            "each party's rights and duties for joint handling.",
            choices=[
                _choice(
                    "processor",
                    "受托处理者：按我方委托和指示处理个人信息",
                    "Processor: you process personal information on our behalf and instructions",
                ),
                _choice(
                    "recipient",
                    "独立个人信息处理者：双方之间提供个人信息，各自决定处理目的和方式",
                    "Independent handler: personal information passes between us and each decides "
                    "its own purposes and means",
                ),
                _choice(
                    "joint",
                    "共同处理者：与我方共同决定处理目的和方式",
                    "Joint handler: you decide the purposes and means together with us",
                ),
            ],
            legal_basis="PIPL Art. 20, 21, 23",
        ),
        _question(
            "D2",
            "yn",
            "贵司是否同意与我方签署书面协议，约定处理目的、期限、处理方式、个人信息种类、"
            "保护措施以及双方的权利和义务，并接受我方监督？",
            "Will you sign a written agreement with us setting out the purpose, period, method, "
            "types of personal information, protection measures and each party's rights and duties, "
            "and accept our supervision?",
            legal_basis="PIPL Art. 21; NDSMR Art. 12; GB/T 35273-2020 9.1; GDPR Art. 28",
            rules=[
                _red_flag(
                    [_is(NO)],
                    "拒绝签署载明法定事项的处理协议（《个人信息保护法》第二十一条）。",
                    "The vendor refuses to sign a processing agreement with the "
                    "statutory terms (PIPL Art. 21).",
                ),
            ],
        ),
        _question(
            "D3",
            "choice",
            "承载本服务的信息系统的网络安全等级保护定级和备案情况如何？请在说明中填写备案证明编号、"
            "最近一次测评日期及结论，并上传备案证明和测评报告。",
            "What is the MLPS (Multi-Level Protection Scheme) level and filing status of the systems running "
            "this service? Give the filing certificate number and the date and conclusion of the latest "
            "assessment in the details, and upload the filing certificate and assessment report.",
            help_zh="第二级及以上系统须向所在地市级公安机关备案并取得备案证明；"
            "第三级系统至少每年测评一次，第四级每半年一次。",
            help_en="Level 2 and higher systems must be filed with the city Public Security Bureau, "
            "which issues a filing certificate; Level 3 systems are assessed at least yearly, "
            "Level 4 every six months.",
            choices=[
                _choice("not_graded", "尚未定级", "Not graded"),
                _choice("l1", "第一级", "Level 1"),
                _choice("l2_filed", "第二级，已备案", "Level 2, filed"),
                _choice(
                    "l3_filed",
                    "第三级及以上，已备案，测评报告在有效期内",
                    "Level 3 or higher, filed, assessment report current",
                ),
                _choice(
                    "l3_stale",
                    "第三级及以上，已备案，最近一次测评已超过12个月",
                    "Level 3 or higher, filed, latest assessment older than 12 months",
                ),
                _choice("l2plus_unfiled", "第二级及以上，未备案", "Level 2 or higher, not filed"),
            ],
            has_detail=True,
            has_file=True,
            evidence_kind="mlps",
            legal_basis=f"{CSL_MLPS}; DSL Art. 27; GB/T 22239-2019",
            rules=[
                _red_flag(
                    [_is("l2plus_unfiled")],
                    f"第二级及以上信息系统未办理等级保护备案（{CSL_MLPS_ZH}）。",
                    f"A Level 2 or higher system has not been filed under MLPS ({CSL_MLPS}).",
                ),
                _risk(
                    10,
                    [_is("l3_stale")],
                    f"第三级及以上系统最近一次等级测评已超过12个月（{CSL_MLPS_ZH}；GB/T 22239-2019）。",
                    f"The latest MLPS assessment of a Level 3 or higher system is older than 12 months "
                    f"({CSL_MLPS}; GB/T 22239-2019).",
                ),
                _risk(
                    15,
                    [_is("not_graded")],
                    f"信息系统尚未进行等级保护定级（{CSL_MLPS_ZH}）。",
                    f"The system has not been graded under MLPS ({CSL_MLPS}).",
                ),
                _risk(
                    5,
                    [_among(["l2_filed", "l3_filed", "l3_stale"]), _no_file()],
                    f"未上传等级保护备案证明或测评报告（{CSL_MLPS_ZH}）。",
                    f"Neither the MLPS filing certificate nor the assessment report is uploaded ({CSL_MLPS}).",
                ),
            ],
        ),
        _question(
            "D4",
            "multi",
            "贵司持有哪些与本服务相关的有效认证？请上传证书。（可多选）",
            "Which current certifications relevant to this service do you hold? Upload the certificates. "
            "(Select all that apply.)",
            help_zh="请核对认证范围是否涵盖本服务；依据ISO/IEC 27001:2013颁发的证书自2025年10月31日起失效。",
            help_en="Check that the certified scope covers this service; certificates to ISO/IEC 27001:2013 are "
            "invalid after 31 October 2025.",
            choices=[
                _choice("iso27001", "ISO/IEC 27001:2022", "ISO/IEC 27001:2022"),
                _choice("iso27701", "ISO/IEC 27701", "ISO/IEC 27701"),
                _choice("soc2_type2", "SOC 2 Type II 报告", "SOC 2 Type II report"),
                _choice("csa_star", "CSA STAR", "CSA STAR"),
                _choice(
                    "ccrc",
                    "CCRC认证（个人信息保护、数据安全或App安全）",
                    "CCRC certification (PI protection, data security or app security)",
                ),
                _choice("none", "均未持有", "None"),
            ],
            has_file=True,
            evidence_kind="certificate",
            legal_basis="PIPL Art. 51; DSL Art. 27",
            rules=[
                _risk(
                    10,
                    [_is("none")],
                    "未持有任何信息安全或个人信息保护认证，安全保障能力缺乏外部验证"
                    "（《个人信息保护法》第五十一条）。",
                    "No security or privacy certification is held, so the vendor's safeguards lack independent "
                    "verification (PIPL Art. 51).",
                ),
                _risk(
                    5,
                    [{"q": "self", "op": "ne", "value": "none"}, _no_file()],
                    "声称持有认证但未上传证书（《个人信息保护法》第五十一条）。",
                    "Certifications are claimed but none is uploaded (PIPL Art. 51).",
                ),
            ],
        ),
        _question(
            "D5",
            "choice",
            "本服务涉及的个人信息存储在何处？请在说明中填写云服务商及地域（如“阿里云华东2（上海）”）。",
            "Where is the personal information for this service stored? Give the cloud provider and region in "
            "the details (e.g. “Alibaba Cloud cn-shanghai”).",
            choices=[
                _choice("cn_idc", "中国境内自有或托管机房", "Own or colocated data centre in mainland China"),
                _choice("cn_cloud", "中国境内公有云", "Public cloud region in mainland China"),
                _choice(
                    "overseas",
                    "境外（含境内外混合部署）",
                    "Outside mainland China (including mixed deployments)",
                ),
            ],
            detail_required=True,
            legal_basis="PIPL Art. 38-40, 51",
            rules=[
                _risk(
                    10,
                    [_is("overseas")],
                    "个人信息存储于境外，须满足数据出境的法定条件（《个人信息保护法》第三十八条）。",
                    "Personal information is stored outside mainland China, so the cross-border transfer "
                    "rules apply (PIPL Art. 38).",
                ),
            ],
        ),
        _question(
            "D6",
            "multi",
            "贵司对本服务涉及的个人信息采取了哪些安全措施？（可多选）",
            "Which security measures do you apply to the personal information in this service? "
            "(Select all that apply.)",
            choices=[
                _choice("encryption", "存储和传输加密", "Encryption in storage and in transit"),
                _choice("deidentification", "去标识化处理", "De-identification"),
                _choice(
                    "mfa", "访问控制采用多因素认证（MFA）", "Multi-factor authentication (MFA) for access"
                ),
                _choice("logs_6m", "网络日志留存不少于六个月", "Network logs kept for at least six months"),
                _choice("none", "以上均未采取", "None of these"),
            ],
            legal_basis=f"PIPL Art. 51; {CSL_MLPS}",
            rules=[
                _risk(
                    10,
                    [_lacks("encryption")],
                    "未对个人信息进行加密（《个人信息保护法》第五十一条）。",
                    "Personal information is not encrypted (PIPL Art. 51).",
                    legal_basis="PIPL Art. 51",
                ),
                _risk(
                    5,
                    [_lacks("deidentification")],
                    "未对个人信息进行去标识化处理（《个人信息保护法》第五十一条）。",
                    "Personal information is not de-identified (PIPL Art. 51).",
                    legal_basis="PIPL Art. 51",
                ),
                _risk(
                    5,
                    [_lacks("mfa")],
                    "访问个人信息未采用多因素认证（《个人信息保护法》第五十一条）。",
                    "Access to personal information is not protected by multi-factor "
                    "authentication (PIPL Art. 51).",
                    legal_basis="PIPL Art. 51",
                ),
                _risk(
                    10,
                    [_lacks("logs_6m")],
                    f"网络日志留存不足六个月（{CSL_MLPS_ZH}）。",
                    f"Network logs are kept for less than six months ({CSL_MLPS}).",
                    legal_basis=CSL_MLPS,
                ),
            ],
        ),
        _question(
            "D7",
            "choice",
            "合作终止后，贵司如何处理我方的个人信息？请在说明中写明返还或删除的期限。",
            "What happens to our personal information when the engagement ends? Give the deadline for return or "
            "deletion in the details.",
            choices=[
                _choice(
                    "deleted_certified",
                    "返还或删除，并出具书面删除证明",
                    "Returned or deleted, with a written deletion certificate",
                ),
                _choice("deleted", "返还或删除，但不出具证明", "Returned or deleted, without a certificate"),
                _choice("retained", "继续保留", "Kept"),
            ],
            has_detail=True,
            legal_basis="PIPL Art. 21; GB/T 35273-2020 9.1",
            rules=[
                _red_flag(
                    [_is("retained")],
                    "合作终止后仍保留我方个人信息（《个人信息保护法》第二十一条）。",
                    "The vendor keeps our personal information after the engagement ends (PIPL Art. 21).",
                ),
            ],
        ),
        _question(
            "D8",
            "yn",
            "未经我方书面授权，贵司是否会将我方提供的个人信息用于模型训练，或与贵司自有数据、"
            "其他客户的数据融合？",
            "Without our written authorisation, would you use personal information we provide to train models or "
            "merge it with your own or other clients' data?",
            legal_basis="PIPL Art. 21; NDSMR Art. 12",
            rules=[
                _red_flag(
                    [_is(YES)],
                    "未经书面授权将我方数据用于模型训练或与他方数据融合，"
                    "超出委托处理范围（《个人信息保护法》第二十一条）。",
                    "Using our data to train models or merging it with others' data without written "
                    "authorisation goes beyond the entrusted scope (PIPL Art. 21).",
                ),
            ],
        ),
        _question(
            "D9",
            "yn",
            "贵司是否开展过个人信息保护合规审计？请在说明中填写最近一次审计的日期和审计机"
            "构，并上传审计报告或摘要。",
            "Have you had a personal information protection compliance audit? Give the date and auditor of the "
            "latest one in the details and upload the report or a summary.",
            help_zh="处理超过1000万人个人信息的，应当至少每两年开展一次合规审计。",
            help_en="Handlers of more than 10 million individuals' data must be audited at least every two "
            "years.",
            has_detail=True,
            has_file=True,
            evidence_kind="compliance_audit",
            legal_basis="PIPL Art. 54",
            rules=[
                _risk(
                    5,
                    [_is(NO)],
                    "未开展个人信息保护合规审计（《个人信息保护法》第五十四条）。",
                    "No personal information protection compliance audit has been carried out (PIPL Art. 54).",
                ),
                _risk(
                    10,
                    [_is(NO), _is("gt10m", q="A5")],
                    "处理1000万人以上个人信息却未开展合规审计，不符合至少每两年审计一次的要求"
                    "（《个人信息保护法》第五十四条）。",
                    "The vendor processes the data of more than 10 million individuals yet has no compliance "
                    "audit, though one is required at least every two years (PIPL Art. 54).",
                ),
                _risk(
                    5,
                    [_is(YES), _no_file()],
                    "未上传合规审计报告或摘要（《个人信息保护法》第五十四条）。",
                    "No compliance audit report or summary is uploaded (PIPL Art. 54).",
                ),
            ],
        ),
    ],
)

SECTION_E = _section(
    "E",
    "自动化决策与定价",
    "Automated decisions and pricing",
    [
        _question(
            "E1",
            "yn",
            "贵司是否基于用户画像进行个性化推送或定向投放？",
            "Do you push content or target ads based on user profiling?",
            legal_basis="PIPL Art. 24, 55",
            rules=[
                _risk(
                    10,
                    [_is(YES)],
                    "基于画像的个性化推送属于自动化决策，须保证透明公平并事前开展影响评估"
                    "（《个人信息保护法》第二十四条、第五十五条）。",
                    "Profiling-based targeting is automated decision-making, which must be transparent and "
                    "fair and needs a prior PIPIA (PIPL Art. 24, 55).",
                ),
            ],
        ),
        _question(
            "E2",
            "yn",
            "是否向用户提供不针对其个人特征的选项或便捷的拒绝方式，"
            "并支持关闭个性化推荐和删除用户标签？请上传相关界面截图。",
            "Do you give users an option not based on their personal traits or an easy way to refuse, and let "
            "them switch off personalisation and delete their tags? Upload screenshots of these settings.",
            help_zh="仅在贵司进行个性化推送或定向投放（E1）时提问。",
            help_en="Asked only when you use profiling-based targeting (E1).",
            has_file=True,
            evidence_kind="personalisation",
            legal_basis="PIPL Art. 24; NDSMR Art. 42",
            show_if=[_is(YES, q="E1")],
            rules=[
                _red_flag(
                    [_is(NO)],
                    "个性化推送未提供非个性化选项或便捷的关闭方式（《个人信息保护法》第二十四条；"
                    "《网络数据安全管理条例》第四十二条）。",
                    "Personalised targeting offers no non-personalised option or easy off switch "
                    "(PIPL Art. 24; NDSMR Art. 42).",
                ),
                _risk(
                    5,
                    [_is(YES), _no_file()],
                    "未上传关闭个性化推荐及删除标签的界面截图（《网络数据安全管理条例》第四十二条）。",
                    "No screenshots of the personalisation off switch and tag deletion are "
                    "uploaded (NDSMR Art. 42).",
                ),
            ],
        ),
        _question(
            "E3",
            "yn",
            "贵司是否基于个人特征（如消费习惯、设备类型、所在地区）对不同用户实行差异化的价格或其他交易条件？"
            "如是，请在说明中写明客观合理的依据。",
            "Do you vary prices or other trade terms between users based on personal traits "
            "(e.g. spending habits, device type, location)? If so, give the objective "
            "justification in the details.",
            has_detail=True,
            legal_basis="PIPL Art. 24; NDSMR Art. 46",
            rules=[
                _red_flag(
                    [_is(YES), _blank()],
                    "基于个人特征实行差别定价且无客观依据，涉嫌“大数据杀熟”"
                    "（《个人信息保护法》第二十四条）。",
                    "Prices vary by personal traits with no objective justification, which is big-data "
                    "price discrimination (PIPL Art. 24).",
                ),
                _risk(
                    15,
                    [_is(YES), _filled()],
                    "存在基于个人特征的差异化交易条件，须由法务核实所述依据是否客观合理"
                    "（《网络数据安全管理条例》第四十六条）。",
                    "Trade terms vary by personal traits, so Legal must check that the stated justification is "
                    "objective and reasonable (NDSMR Art. 46).",
                ),
            ],
        ),
    ],
)

SECTION_F = _section(
    "F",
    "数据出境",
    "Cross-border transfer",
    [
        _question(
            "F1",
            "yn",
            "本服务涉及的个人信息是否向境外提供，或可被境外主体访问？",
            "Is personal information in this service transferred abroad or accessible "
            "from outside mainland China?",
            help_zh="包括境外母公司、境外技术支持人员远程访问等情形。",
            help_en="This includes remote access by an overseas parent company or support staff.",
            legal_basis="PIPL Art. 38-40",
            rules=[
                _risk(
                    10,
                    [_is(YES)],
                    "个人信息出境，须具备法定出境路径并履行告知和单独同意义务"
                    "（《个人信息保护法》第三十八条、第三十九条）。",
                    "Personal information leaves China, which needs a legal transfer route, notice and "
                    "separate consent (PIPL Art. 38, 39).",
                ),
            ],
        ),
        _question(
            "F2",
            "choice",
            "数据出境通过何种合规路径？请上传相应的备案回执、认证证书或评估通过文件。",
            "Which legal route covers the transfer? Upload the filing receipt, certificate or approval.",
            help_zh="豁免情形依《促进和规范数据跨境流动规定》判断，请在说明中写明所依据的条款。",
            help_en="Exemptions follow the Provisions on Promoting and Regulating Cross-Border Data Flows; cite "
            "the provision you rely on in the details.",
            choices=[
                _choice("exempt", "符合豁免情形", "Exempt"),
                _choice(
                    "standard_contract", "个人信息出境标准合同（已备案）", "CAC standard contract (filed)"
                ),
                _choice("certification", "个人信息保护认证", "Personal information protection certification"),
                _choice("assessment", "数据出境安全评估（已通过）", "CAC security assessment (approved)"),
                _choice("none", "尚无合规路径", "No legal route yet"),
            ],
            has_detail=True,
            has_file=True,
            evidence_kind="cross_border",
            legal_basis="PIPL Art. 38, 55",
            show_if=[_is(YES, q="F1")],
            rules=[
                _red_flag(
                    [_is("none")],
                    "个人信息出境未采用任何法定路径（《个人信息保护法》第三十八条）。",
                    "Personal information is transferred abroad without any legal route (PIPL Art. 38).",
                ),
                _risk(
                    5,
                    [_among(["standard_contract", "certification", "assessment"]), _no_file()],
                    "未上传出境备案回执、认证证书或评估通过文件（《个人信息保护法》第三十八条）。",
                    "No filing receipt, certificate or approval for the transfer is uploaded (PIPL Art. 38).",
                ),
            ],
        ),
        _question(
            "F3",
            "yn",
            "是否已向个人告知境外接收方的名称、联系方式、处理目的、处理方式和个人信息种类，并取得其单独同意？",
            "Have individuals been told the overseas recipient's name, contact details, purpose, method and data "
            "types, and have they given separate consent?",
            legal_basis="PIPL Art. 39",
            show_if=[_is(YES, q="F1")],
            rules=[
                _red_flag(
                    [_is(NO)],
                    "数据出境未告知境外接收方信息或未取得单独同意（《个人信息保护法》第三十九条）。",
                    "The overseas recipient is not disclosed or separate consent is not "
                    "obtained (PIPL Art. 39).",
                ),
            ],
        ),
    ],
)

SECTION_G = _section(
    "G",
    "转委托",
    "Sub-processors",
    [
        _question(
            "G1",
            "choice",
            "请提供参与本服务的全部分包方（转委托方）清单，包括名称、统一社会信用代码、所在地及承担的工作。",
            "Provide the full list of sub-processors involved in this service: name, Unified Social Credit "
            "Code, location and task.",
            choices=[
                _choice("provided", "已提供完整清单", "Full list provided"),
                _choice("none_used", "不使用任何分包方", "No sub-processors used"),
                _choice("refused", "不予披露", "Will not disclose"),
            ],
            has_file=True,
            evidence_kind="sub_processors",
            legal_basis="PIPL Art. 21; GB/T 35273-2020 9.1; GDPR Art. 28(2)",
            rules=[
                _red_flag(
                    [_is("refused")],
                    "拒绝披露分包方，无法监督转委托处理（《个人信息保护法》第二十一条）。",
                    "The vendor refuses to disclose its sub-processors, so sub-entrusted processing cannot "
                    "be supervised (PIPL Art. 21).",
                ),
                _risk(
                    10,
                    [_is("provided"), _no_file()],
                    "选择已提供分包方清单但未上传（GB/T 35273-2020第9.1条）。",
                    "A sub-processor list is said to be provided but none is uploaded (GB/T 35273-2020 9.1).",
                ),
            ],
        ),
        _question(
            "G2",
            "yn",
            "新增或更换分包方前，贵司是否事先取得我方书面同意？",
            "Will you obtain our prior written consent before adding or replacing a sub-processor?",
            legal_basis="PIPL Art. 21; GDPR Art. 28(2)",
            rules=[
                _red_flag(
                    [_is(NO)],
                    "未经我方事先书面同意即可转委托（《个人信息保护法》第二十一条）。",
                    "The vendor may sub-entrust processing without our prior written consent (PIPL Art. 21).",
                ),
            ],
        ),
    ],
)

SECTION_H = _section(
    "H",
    "安全事件",
    "Incident response",
    [
        _question(
            "H1",
            "yn",
            "贵司是否制定个人信息安全事件应急预案并定期组织演练？请上传应急预案及最近一次演练记录。",
            "Do you have a personal information incident response plan and run regular drills? Upload the plan "
            "and the latest drill record.",
            has_file=True,
            evidence_kind="incident_plan",
            legal_basis="PIPL Art. 51, 57",
            rules=[
                _risk(
                    10,
                    [_is(NO)],
                    "未制定个人信息安全事件应急预案或未组织演练（《个人信息保护法》第五十一条）。",
                    "There is no incident response plan or drill (PIPL Art. 51).",
                ),
                _risk(
                    5,
                    [_is(YES), _no_file()],
                    "未上传应急预案或演练记录（《个人信息保护法》第五十一条）。",
                    "Neither the incident response plan nor a drill record is uploaded (PIPL Art. 51).",
                ),
            ],
        ),
        _question(
            "H2",
            "choice",
            "发生个人信息安全事件后，贵司承诺在多长时间内通知我方？",
            "How soon after a personal information incident will you notify us?",
            choices=[
                _choice("24h", "24小时内", "Within 24 hours"),
                _choice("72h", "72小时内", "Within 72 hours"),
                _choice("gt72h", "超过72小时", "More than 72 hours"),
                _choice("none", "不作承诺", "No commitment"),
            ],
            legal_basis="PIPL Art. 57",
            rules=[
                _red_flag(
                    [_among(["gt72h", "none"])],
                    "不承诺在72小时内通知安全事件，我方无法及时采取补救措施并履行通知义务"
                    "（《个人信息保护法》第五十七条）。",
                    "The vendor will not commit to notifying us of incidents within 72 hours, so we cannot "
                    "remediate and notify in time (PIPL Art. 57).",
                ),
            ],
        ),
        _question(
            "H3",
            "yn",
            "近三年内，贵司是否发生过个人信息泄露、篡改或丢失事件？如有，请说明经过、影响范围及整改措施。",
            "Have you had any leak, alteration or loss of personal information in the last three years? If so, "
            "describe what happened, its scope and the remediation.",
            has_detail=True,
            legal_basis="PIPL Art. 51, 57",
            rules=[
                _risk(
                    10,
                    [_is(YES)],
                    "近三年发生过个人信息安全事件，须核实整改情况（《个人信息保护法》第五十七条）。",
                    "A personal information incident occurred in the last three years, so its remediation must "
                    "be checked (PIPL Art. 57).",
                ),
                _risk(
                    5,
                    [_is(YES), _blank()],
                    "未说明安全事件的经过、影响范围及整改措施（《个人信息保护法》第五十七条）。",
                    "The incident, its scope and the remediation are not described (PIPL Art. 57).",
                ),
            ],
        ),
    ],
)

SECTIONS = [SECTION_A, SECTION_B, SECTION_C, SECTION_D, SECTION_E, SECTION_F, SECTION_G, SECTION_H]


def template_v1_publish(apps) -> None:
    """Create questionnaire v1 with the models of `apps` (migration 0003's historical models, or
    django.apps.apps when the tests restore it after a flush); nothing when version 1 exists."""
    publish_template(apps, sys.modules[__name__])
