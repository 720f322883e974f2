use super::*;
use crate::ast::*;

fn parse_ok(text: &str) -> Module {
    match parse(&SourceFile::new("t.zc", text)) {
        Ok(m) => m,
        Err(e) => {
            let report = miette::Report::new(e);
            panic!("{report:?}")
        }
    }
}

#[test]
fn canonical_clauses_parse() {
    let m = parse_ok(
        "词汇 { 高新技术企业: 是否  认定类型: 首次认定 | 重新认定 | 复审通过  研发投入: 金额  置换车辆数: 数量(辆) 首台套: 国际 | 国内 | 省内 技术交易额: 金额 新能源汽车置换: 是否 研发投入新增额: 金额 }
对 首次认定 高新技术企业 给予 最高 20万元
对 研发投入 超过 300万元 给予 研发投入 的 20%，最高 1000万元
对 研发投入新增额 达到 200万元 以上 给予 研发投入新增额 的 5%，最高 200万元
对 首台套 为 国际、国内、省内 分别 给予 200万元、100万元、50万元
对 技术交易额 超过 1亿元 给予 技术交易额 超过 1亿元 的部分 按 2‰，最高 200万元
对 新能源汽车置换 给予 按 置换车辆数 每辆 最高 1.5万元
对 研发投入 超过 300万元 给予 研发投入 的 20%
",
    );
    assert_eq!(m.items.len(), 8);
}

#[test]
fn provenance_is_a_policy_item_after_a_condition() {
    let m = parse_ok(
        "词汇 { 甲: 是否 }
政策 《示例》 {
  适用 甲
  出处 第378行 至 第407行
  对 甲 给予 1元
}",
    );
    let Some(Item::Policy(p)) = m.items.get(1) else {
        panic!("no policy: {m:?}")
    };
    let lines: Vec<(u32, u32)> = p
        .items
        .iter()
        .filter_map(|i| match i {
            PolicyItem::Provenance(l) => Some(l.node),
            _ => None,
        })
        .collect();
    assert_eq!(lines, vec![(378, 407)]);
}

#[test]
fn pest_guards_become_the_depth_diagnostic() {
    let source = SourceFile::new("t.zc", "对 （甲 给予 1元");
    let err = pest::error::Error::new_from_pos(
        pest::error::ErrorVariant::<Rule>::CustomError {
            message: "stack limit reached".into(),
        },
        pest::Position::new(&source.text, 4).unwrap_or_else(|| panic!("position")),
    );
    match pest_error(&source, &err) {
        SyntaxError::TooDeep { span, .. } => {
            assert_eq!((span.offset(), span.len()), (4, "（".len()));
        }
        other => panic!("{other:?}"),
    }
}
