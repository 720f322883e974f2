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
    match pest_error(&source, 0, &err) {
        SyntaxError::TooDeep { span, .. } => {
            assert_eq!((span.offset(), span.len()), (4, "（".len()));
        }
        other => panic!("{other:?}"),
    }
}

/// The file read whole as `Rule::file` and then lowered, as `parse` did
/// before it read item by item: what `parse` must still answer, byte for
/// byte (spans, expected lists, which error wins).
fn whole_file(source: &SourceFile) -> Result<Module, SyntaxError> {
    prescan::scan(source)?;
    let pairs = generated::ZhengceParser::parse(Rule::file, &source.text)
        .map_err(|e| pest_error(source, 0, &e))?;
    prescan::check_tree(source, &pairs, 0)?;
    let mut items = Vec::new();
    for p in pairs.flat_map(|file| file.into_inner()) {
        if p.as_rule() == Rule::item {
            items.push(lower::top_item(source, cursor::Node::new(p, 0))?);
        }
    }
    Ok(Module {
        source: source.clone(),
        items,
        included: false,
    })
}

fn same_as_whole_file(text: &str) -> Result<(), String> {
    let source = SourceFile::new("t.zc", text);
    let by_item = format!("{:?}", parse(&source));
    let whole = format!("{:?}", whole_file(&source));
    if by_item == whole {
        Ok(())
    } else {
        Err(format!(
            "{text:?}\n item by item: {by_item}\n whole file:   {whole}"
        ))
    }
}

/// The cases of `syntax_errors_name_the_place_in_the_file`: where a read
/// starts mid-file and pest's positions must be moved back.
const PLACED: &[(&str, &str)] = &[
    // The 2nd item fails at its first token: the clause before it tried
    // its attributes there, the file its items and its end.
    (
        "second item",
        "词汇 { 甲: 是否 }\n对 甲 给予 1元\n？？ 对 甲 给予 1元",
    ),
    // The 3rd item fails inside, after its 对.
    (
        "third item",
        "词汇 { 甲: 是否 }\n对 甲 给予 1元\n对 甲 给于 1元\n",
    ),
    // After a comment that holds a 「 and a “.
    (
        "after a comment",
        "词汇 { 甲: 是否 } # 「注释」 “#”\n对 甲 给予 1元 # 对\n对 给予",
    ),
    // A # inside 「」 and “” is not a comment: the error is after them.
    (
        "after a quote with #",
        "词汇 { 甲: 是否 }\n对 甲 给予 1元 原文 「# 不是注释」 事项 “#一” 对 甲 给予",
    ),
    (
        "after CRLF",
        "词汇 { 甲: 是否 }\r\n对 甲 给予 1元\r\n对 甲 给予 1元 ）\r\n",
    ),
    (
        "after a BOM",
        "\u{FEFF}词汇 { 甲: 是否 }\n\u{FEFF}对 甲 给予 1元\n对 甲 甲甲 1",
    ),
    // A definition's lookahead reaches into the item after it.
    (
        "after a definition",
        "词汇 { 甲: 金额 }\n定义 乙 = 甲 + 1元 “丙” 丁",
    ),
    // A word where the next item should start: the clause before tried
    // its attributes and its grant's name there.
    ("a word after a clause", "对 甲 给予 1元 给予 "),
    // The first item: the whole file's own error.
    ("first item", "  对 甲"),
    ("empty item list", "？"),
];

#[test]
fn syntax_errors_name_the_place_in_the_file() {
    for (what, text) in PLACED {
        if let Err(e) = same_as_whole_file(text) {
            panic!("{what}: {e}");
        }
        let source = SourceFile::new("t.zc", *text);
        let Err(SyntaxError::Unexpected { span, .. }) = parse(&source) else {
            panic!("{what}: no syntax error");
        };
        // Each case's error is after its first item.
        let first_item_end = text.find('}').map_or(0, |i| i + 1);
        if !matches!(*what, "first item" | "empty item list") {
            assert!(span.offset() > first_item_end, "{what}: {span:?}");
        }
    }
}

#[test]
fn the_spans_of_later_items_are_the_files() {
    let text = "词汇 { 甲: 是否 }\r\n# 「 “\n对 甲 给予 1元 原文 「#」\n\u{FEFF}对 甲 给予 2元";
    let m = parse_ok(text);
    let spans: Vec<&str> = m
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Clause(c) => Some(m.source.slice(c.span)),
            _ => None,
        })
        .collect();
    assert_eq!(spans, ["对 甲 给予 1元 原文 「#」", "对 甲 给予 2元"]);
}

#[test]
fn fenbie_before_a_schedule_is_told_where_it_goes() {
    let text = "对 甲、乙 分别 给予 自 认定日期 起 1000万元、500万元 分3年 按 40%、30%、30%";
    let source = SourceFile::new("t.zc", text);
    let Err(SyntaxError::Unexpected { span, help, .. }) = parse(&source) else {
        panic!("no syntax error");
    };
    assert_eq!(span.offset(), text.find('自').unwrap_or_default());
    assert!(help.contains("起 分别 1000万元、500万元 分3年"), "{help}");
}

#[test]
fn errors_of_lowering_wait_for_the_syntax_errors_after_them() {
    for text in [
        // An impossible date in the 1st item, a syntax error in the 3rd.
        "案例 “a” { 日期 2024年2月30日 }\n对 甲 给予 1元\n对 给予",
        // The same, the syntax error in the 2nd item.
        "案例 “b” { 日期 2024年2月30日 } 对 甲 给于 1元 ",
        // Two errors of lowering: the first is reported.
        "对 甲 给予 1元\n案例 “a” { 日期 2024年2月30日 }\n案例 “b” { 日期 2024年13月1日 }",
    ] {
        if let Err(e) = same_as_whole_file(text) {
            panic!("{e}");
        }
    }
}

mod item_by_item {
    use super::same_as_whole_file;
    use proptest::prelude::*;

    /// Whole items, broken ones, and single tokens that start, end or
    /// break one, so that reads fail at every kind of place.
    const PIECES: &[&str] = &[
        "词汇 { 甲: 是否 乙: 金额 }",
        "对 甲 给予 1元",
        "对 甲 给予 1元 原文 「# 不是注释」",
        "第三条 对 甲 给予 乙 的 20%，最高 1万元",
        "“一” 对 甲 且 乙 超过 1元 给予 1元",
        "（二） 对 （甲） 给予 1元 事项 “#”",
        "定义 丙 = 乙 + 1元",
        "定义 丁 = 甲 且 乙 超过 1元",
        "允许 unused-word",
        "引用 “x.zc”",
        "政策 《示例》 { 施行 2024年1月1日 起 对 甲 给予 1元 }",
        "案例 “a” { 事实 { 甲: 是 } 期望 合计 1元 }",
        "案例 “b” { 日期 2024年2月30日 }",
        "对 甲 给予 100000000000000000000000000000亿元",
        "对 甲 给于 1元",
        "对",
        "给予",
        "甲",
        "1元",
        "“丙”",
        "三",
        "3.",
        "，",
        "、",
        "}",
        "？？",
        "「",
        "“#",
        "# 对",
        "最高",
        "的",
        "超过",
    ];

    /// What may stand between two pieces.
    const BETWEEN: &[&str] = &[
        " ",
        "\n",
        "\r\n",
        "\r",
        "\t",
        "\u{3000}",
        "\u{FEFF}",
        " # 「 “ 注释\n",
        "",
    ];

    fn file() -> impl Strategy<Value = String> {
        prop::collection::vec(
            (prop::sample::select(PIECES), prop::sample::select(BETWEEN)),
            1..7,
        )
        .prop_map(|parts| {
            parts
                .into_iter()
                .map(|(piece, between)| format!("{piece}{between}"))
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn answers_what_the_whole_file_read_answered(text in file()) {
            if let Err(e) = same_as_whole_file(&text) {
                prop_assert!(false, "{}", e);
            }
        }
    }
}
