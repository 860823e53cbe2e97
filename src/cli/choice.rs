//! The command line's parser for the library's named values ([`Choice`]): clap's own
//! possible-values parser (its errors, suggestions and `--help` listing), over the names and
//! help the library defines once, so the library needs no clap derive.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use pools_core::terms::Choice;
use std::marker::PhantomData;

/// `value_parser = choice::<Mode>()`: parses a [`Choice`] by name, in any case.
pub fn choice<T: Choice>() -> ChoiceParser<T> {
    ChoiceParser(PhantomData)
}

/// The value an answer at a prompt names, in any case and with surrounding spaces.
///
/// Errors: `invalid variant: ANSWER` for a name that is none of `T`'s.
pub fn from_answer<T: Choice>(answer: &str) -> Result<T, String> {
    let typed = answer.trim();
    T::from_name(typed).ok_or_else(|| format!("invalid variant: {typed}"))
}

/// See [`choice`].
#[derive(Clone)]
pub struct ChoiceParser<T>(PhantomData<T>);

fn values<T: Choice>() -> impl Iterator<Item = PossibleValue> {
    T::ALL.iter().map(|v| {
        let value = PossibleValue::new(v.name());
        match v.help() {
            "" => value,
            help => value.help(help),
        }
    })
}

impl<T: Choice> TypedValueParser for ChoiceParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let typed = PossibleValuesParser::new(values::<T>()).parse_ref(cmd, arg, value)?;
        T::from_name(&typed)
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(values::<T>()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use pools_core::pool::Mode;

    #[derive(Parser)]
    struct Cli {
        #[arg(long, value_parser = choice::<Mode>(), ignore_case = true)]
        mode: Mode,
    }

    #[test]
    fn a_choice_parses_by_name_and_lists_its_values() {
        let mode = |v: &str| Cli::try_parse_from(["t", "--mode", v]).map(|c| c.mode);
        assert_eq!(mode("sync").unwrap(), Mode::Sync);
        assert_eq!(mode("JIT").unwrap(), Mode::Jit);
        let e = mode("jitt").unwrap_err().to_string();
        assert!(
            e.contains("[possible values: passthrough, sync, jit]"),
            "{e}"
        );
    }
}
