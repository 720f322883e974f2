//! Sentence splitting and the grant test, on sentences copied from the
//! corpus (line numbers of `shared/seeds/000_32cd36ea271cae91.txt`).

use super::*;

#[test]
fn a_line_splits_after_each_terminator_and_keeps_it() {
    // L398, abridged to its first three sentences.
    let line = "（十三）支持企业梯次培育。对首次认定的新雏鹰企业，给予不超过50万元奖励。对首次认定的高新技术企业，给予最高20万元奖励；";
    assert_eq!(
        split(line),
        vec![
            "（十三）支持企业梯次培育。",
            "对首次认定的新雏鹰企业，给予不超过50万元奖励。",
            "对首次认定的高新技术企业，给予最高20万元奖励；",
        ]
    );
}

#[test]
fn half_width_semicolons_split_and_line_ends_close_a_sentence() {
    // L1902: the source writes one half-width `;`; the last piece has no
    // terminator of its own here.
    let line = "由市财政和当地财政各承担50%;涉及萧山区、余杭区、临安区、桐庐县、淳安县和建德市的，由市财政和当地财政分别承担25%、75%";
    assert_eq!(
        split(line),
        vec![
            "由市财政和当地财政各承担50%;",
            "涉及萧山区、余杭区、临安区、桐庐县、淳安县和建德市的，由市财政和当地财政分别承担25%、75%",
        ]
    );
}

#[test]
fn ideographic_spaces_are_trimmed_and_empty_pieces_dropped() {
    // L2697 starts with two U+3000.
    assert_eq!(
        split("\u{3000}\u{3000}本政策自2018年8月12日起施行。\u{3000}"),
        vec!["本政策自2018年8月12日起施行。"]
    );
    assert!(split("\u{3000} ").is_empty());
}

#[test]
fn grants_with_give_and_an_amount() {
    for s in [
        // L398
        "对首次认定的高新技术企业，给予最高20万元奖励；",
        // L394: a per-mille rate
        "超过1亿元的部分，按不超过实际技术交易额的2‰给予累加奖励，单个企业年度最高奖励200万元。",
        // L403: 承担 with 给予 is still a grant
        "对企业引进的高端外籍专家，按市和区、县（市）各承担50%给予最高60万元年薪补助；",
        // L1561: a percentage only
        "征集人工智能行业示范应用场景项目，给予入围的应用场景项目不超过项目总投资20%的资助。",
    ] {
        assert!(is_grant(s), "{s}");
    }
}

#[test]
fn grants_worded_without_give() {
    for s in [
        // L1041
        "支持汽车置换更新，每辆新能源汽车最高补贴1.5万元、每辆燃油车最高补贴1.3万元。",
        // L588: 元 per watt
        "对“十四五”期间并网光伏项目，执行市区两级财政共0.2元/瓦建设补贴。",
        // L366: 元 per person
        "继续实施一次性扩岗补助政策，补贴标准为1500元/人。",
    ] {
        assert!(is_grant(s), "{s}");
    }
}

#[test]
fn budgets_funds_and_cost_splits_are_not_grants() {
    for s in [
        // L1030: a budget line, although it names 补助
        "2025年，市财政预算安排24.8亿元，其中，支持五大产业生态圈发展7.4亿元，支持中小企业专精特新发展3.2亿元，支持制造业高质量发展等6.7亿元，落实企业研发费投入补助1.5亿元，推动实施制造业“腾笼换鸟”6亿元。",
        // L2696: who pays
        "十四、本政策所涉补助和奖励资金由市财政及有关区、县（市）财政各承担50%。",
        // L1054: 支持 alone, and a fund
        "支持低空产业发展，组建30亿元规模的低空产业基金。",
    ] {
        assert!(!is_grant(s), "{s}");
    }
}

#[test]
fn no_amount_or_no_grant_word_is_not_a_grant() {
    for s in [
        // L269: a grant deferred to other rules names no amount
        "对符合条件的首购、首用新产品、新技术的企业，按有关政策给予支持奖励。",
        // L594: a fee waiver
        "不动产权利人申请办理不动产登记时，免收不动产登记费。",
        // L2078: admission thresholds
        "其中，固定资产投资强度不低于500万元/亩，单位用地税收不低于50万元/亩，研发经费支出不低于主营业务收入的5%。",
        // L405: a voucher quota worded with 支持 only
        "单个企业每年申领科技创新券额度不超过50万元，由各区、县（市）根据实际情况制定支持政策。",
    ] {
        assert!(!is_grant(s), "{s}");
    }
}

#[test]
fn amounts_need_digits_and_a_unit() {
    assert!(has_amount("最高 1.5 万元"));
    assert!(has_amount("不超过30％"));
    assert!(!has_amount("2024年6月1日起施行"));
    assert!(!has_amount("不少于1000人"));
    assert!(
        !has_amount("1.元"),
        "a dot without decimals ends the number"
    );
    assert!(has_amount("第1.5元"));
    assert!(!has_amount("万元"));
}
