//! `codecage cache`: the compile cache, visible and removable. (`gc` leaves it alone: it holds
//! no sandbox, only results worth keeping.)

use anyhow::Result;

use crate::cli::CacheCommand;
use crate::output::print_stdout;
use codecage::compile_cache::CompileCache;
use codecage::config::Config;
use codecage::exit_code;
use codecage::units::format_size_approx;

pub fn run(config: &Config, command: Option<CacheCommand>) -> Result<u8> {
    let Some(settings) = config.compile.choice(false, false)?.cache else {
        print_stdout(
            "the compile cache is off (compile.cache: false or CODECAGE_COMPILE_CACHE=off)\n",
        )?;
        return Ok(exit_code::SUCCESS);
    };
    let cache = CompileCache::new(settings.clone());
    match command.unwrap_or(CacheCommand::Info) {
        CacheCommand::Info => {
            let entries = cache.entries();
            let bytes: u64 = entries.iter().map(|(_, size, _)| size).sum();
            print_stdout(&format!(
                "{}\n{} entries, {} of at most {}\n",
                cache.dir().display(),
                entries.len(),
                format_size_approx(bytes),
                format_size_approx(settings.max_bytes)
            ))?;
        }
        CacheCommand::Clear => {
            let (removed, freed) = cache.trim(0);
            print_stdout(&format!(
                "removed {removed} entries ({})\n",
                format_size_approx(freed)
            ))?;
        }
    }
    Ok(exit_code::SUCCESS)
}
