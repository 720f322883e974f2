//! The least a pest reader of zhengce's text can cost: a grammar that only
//! cuts a file into tokens (words of the language's own characters,
//! numbers, 「…」 and “…” texts, any other character alone) and skips
//! spaces and comments as the real grammar does, with no structure above
//! them. What callgrind counts under it is the floor under any grammar of
//! the language written for pest; `examples/parse_cost` counts the real one.
//!
//! ```text
//! cargo build --release --example pest_floor
//! valgrind --tool=callgrind ./target/release/examples/pest_floor policies/*.zc
//! ```

// pest_derive without its `std` feature names `::alloc` in what it generates.
extern crate alloc;

use std::process::ExitCode;

use pest::Parser;

use generated::{Rule, Tokens};

mod generated {
    /// The character classes, spaces and comments are the real grammar's
    /// (`grammar/zhengce.pest`), copied so that the floor reads what it reads.
    #[derive(pest_derive::Parser)]
    #[grammar_inline = r##"
WHITESPACE = _{ " " | '\t'..'\n' | "\r" | "\u{3000}" | "\u{FEFF}" }
COMMENT = _{ "#" ~ ('\u{0E}'..'\u{10FFFF}' | '\u{00}'..'\u{09}' | '\u{0B}'..'\u{0C}')* }
han = _{ '\u{4E00}'..'\u{9FFF}' | '\u{3400}'..'\u{4DBF}' | '\u{F900}'..'\u{FAFF}' | '\u{20000}'..'\u{3134F}' | "〇" }
fullwidth_alnum = _{ '\u{FF10}'..'\u{FF19}' | '\u{FF21}'..'\u{FF3A}' | '\u{FF41}'..'\u{FF5A}' }
ident_start = _{ han | ASCII_ALPHA | "_" | fullwidth_alnum }
ident_char = _{ ident_start | ASCII_DIGIT }
word = @{ ident_start ~ ident_char* }
number = @{ ASCII_DIGIT+ ~ ("." ~ ASCII_DIGIT+)? }
quoted = ${ ("“" | "\"" | "‘" | "'") ~ quoted_inner ~ ("”" | "\"" | "’" | "'") }
quoted_inner = @{ (!("“" | "”" | "\"" | "‘" | "’" | "'" | "\n" | "\r") ~ ANY)* }
verbatim = ${ "「" ~ verbatim_inner ~ "」" }
verbatim_inner = @{ (!"」" ~ ANY)* }
punct = { ANY }
token = _{ verbatim | quoted | number | word | punct }
file = { SOI ~ token* ~ EOI }
"##]
    pub(super) struct Tokens;
}

fn main() -> ExitCode {
    let mut tokens = 0;
    for path in std::env::args().skip(1) {
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("{path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        match Tokens::parse(Rule::file, &text) {
            Ok(pairs) => tokens += pairs.flatten().count(),
            Err(e) => {
                eprintln!("{path}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{tokens}");
    ExitCode::SUCCESS
}
