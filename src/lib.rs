//! aseecr: a command-line companion for private edge container registries.
//!
//! `run` reports every error a command returns, with the one error printer
//! (`commands::report::print_error`, which batch commands also use for each
//! item that fails); commands return `Result<ExitStatus>` and never exit the
//! process themselves.

#![forbid(unsafe_code)]

mod cleanup;
pub mod cli;
mod commands;
mod config;
mod connect;
mod credentials;
mod doctor;
mod error;
mod fsutil;
mod hosts;
mod k8s;
mod layout;
mod mirror;
mod output;
mod pki;
mod records;
mod registry;
mod secret;
mod settings;
mod space;
mod sync;
mod trust;
mod verify;
mod yaml;

use std::process::ExitCode;

use crate::cli::Cli;
use crate::commands::ExitStatus;
use crate::error::Kind;

/// Run a parsed command line and turn the outcome into an exit code.
pub async fn run(cli: Cli) -> ExitCode {
    // Before anything is written: the log, the printer and the error report
    // all follow it.
    settings::color_choice(&cli.global).apply();
    let color = output::stderr_color();
    init_logging(cli.global.verbose, color);
    let verbose = cli.global.verbose;
    let json = cli.command.json_output();
    // The completion scripts' helper is silent on any failure, a broken
    // configuration included: a shell's Tab is no place for error reports.
    let silent = matches!(cli.command, cli::Command::Complete(_));
    let outcome = match settings::Settings::resolve(&cli.global) {
        Ok(settings) => commands::dispatch(cli.command, settings).await,
        Err(err) => Err(err),
    };
    match outcome {
        Ok(ExitStatus::Success) => ExitCode::SUCCESS,
        Ok(ExitStatus::Failure) => ExitCode::from(Kind::Failed.exit_code()),
        Ok(ExitStatus::Interrupted) => ExitCode::from(commands::INTERRUPTED_EXIT_CODE),
        Ok(ExitStatus::ChangesPending) => ExitCode::from(commands::CHANGES_PENDING_EXIT_CODE),
        Err(err) if is_broken_pipe(&err) || silent => ExitCode::SUCCESS,
        Err(err) => {
            let (err, printed) = match err.downcast::<commands::AlreadyPrinted>() {
                Ok(commands::AlreadyPrinted(inner)) => (inner, true),
                Err(err) => (err, false),
            };
            if json && !printed {
                // One object on stdout in JSON mode, failure included; a broken
                // pipe here changes nothing.
                let printer = output::Printer::new(true, 0, true);
                let _ = printer.json(&output::json::Failure {
                    error: commands::error_json(&err),
                });
            }
            // Only when the command itself returned it: wrapped in context (as
            // `setup` wraps doctor's), the wrapper is news and is reported.
            let reported = err
                .chain()
                .next()
                .is_some_and(|outer| outer.is::<commands::Reported>());
            if !reported {
                let printer = output::Printer::new(false, verbose, true);
                commands::report::print_error(&printer, None, &err);
            }
            ExitCode::from(commands::error_kind(&err).exit_code())
        }
    }
}

/// Apply `--color` before clap parses the rest (its errors and help follow it)
/// and return the choice for clap.
pub fn apply_color(when: cli::ColorWhen) -> clap::ColorChoice {
    let choice = settings::color_choice_of(when);
    choice.apply();
    match choice {
        output::ColorChoice::Auto => clap::ColorChoice::Auto,
        output::ColorChoice::Always => clap::ColorChoice::Always,
        output::ColorChoice::Never => clap::ColorChoice::Never,
    }
}

/// A usage error found outside clap: `error:` and `help:` lines on stderr,
/// printed as `run` prints an error.
pub fn report_usage(message: &str, help: &str) {
    let err = error::Error::usage(message).help(help).into();
    commands::report::print_error(&output::Printer::new(false, 0, true), None, &err);
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Log lines (`-v`) on stderr, coloured only when `ansi` (stderr takes colour).
fn init_logging(verbose: u8, ansi: bool) {
    let filter = match verbose {
        0 => "warn",
        1 => "warn,aseecr=debug",
        _ => "warn,aseecr=trace",
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ASEECR_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(filter)),
        )
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(false)
        .without_time()
        .try_init();
}
