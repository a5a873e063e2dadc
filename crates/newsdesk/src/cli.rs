//! The command line, as data: every flag's doc comment is its `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// newsdesk: a self-hosted, multilingual news aggregator.
///
/// It collects articles from news sources (RSS, Atom and JSON feeds, sitemaps), extracts each
/// article from its page, and publishes a fast "latest news" site, feeds and a JSON API where
/// every article names its source and links the original.
///
/// Quick start (no setup, no network; the site answers at once and fills in):
///
///     newsdesk demo
///
/// Your own site:
///
///     newsdesk init mysite && cd mysite
///     newsdesk sources add https://example.org/
///     newsdesk fetch && newsdesk serve
#[derive(Debug, Parser)]
#[command(
    name = "newsdesk",
    version,
    about,
    long_about,
    verbatim_doc_comment,
    max_term_width = 100,
    after_help = crate::commands::output::EXIT_CODES_HELP
)]
pub struct Cli {
    /// Configuration file [default: $NEWSDESK_CONFIG, else ./newsdesk.toml].
    #[arg(long, short = 'c', global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// More logging (-v info, -vv debug); RUST_LOG overrides.
    #[arg(long, short = 'v', global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Print nothing but errors (no progress display, no summary, no warnings).
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// `newsdesk worker`'s flags.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Jobs run at the same time [default: [worker] concurrency].
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    /// Seconds a job's lease lasts [default: [worker] lease_secs].
    #[arg(long, value_name = "SECS")]
    pub lease_secs: Option<u64>,
    /// Exit once no job is queued or running and no source is due (for batch runs and tests).
    #[arg(long)]
    pub until_idle: bool,
    /// This worker's name in the queue [default: host name, process id, random part].
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Print the summary as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a commented newsdesk.toml and a data directory in DIR (default: current directory).
    Init {
        /// Directory to set up (created if missing).
        dir: Option<PathBuf>,
        /// Overwrite an existing newsdesk.toml.
        #[arg(long)]
        force: bool,
    },
    /// Manage news sources.
    #[command(subcommand)]
    Sources(SourcesCommand),
    /// Bring the database's schema up to this build's ([storage] url / $NEWSDESK_DATABASE_URL
    /// for PostgreSQL, else the SQLite file). PostgreSQL nodes never migrate on their own: run
    /// this once after each upgrade. Refuses a schema newer than this build knows.
    Migrate,
    /// Move or inspect a whole database.
    #[command(subcommand)]
    Store(StoreCommand),
    /// Show the database: backend, schema version, rows per table, the last fetch, sources
    /// failing or paused, how far the story stage has placed articles, and the work queue
    /// (jobs per kind, workers alive and their leases, jobs given up).
    Status {
        /// Print it as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Make one polite pass over every source and store new articles.
    ///
    /// A progress line (sources and articles done, rate, ETA) is shown on a terminal, then a
    /// summary; each failed source gets one line on stderr. Exits 3 when some sources failed,
    /// 2 when all did.
    #[command(after_help = crate::commands::output::EXIT_CODES_HELP)]
    Fetch(FetchArgs),
    /// Take jobs from the work queue in the database and run them, until Ctrl-C.
    ///
    /// Jobs: fetch a source (its new entries become jobs), fetch and extract an article,
    /// translate into the editions, place articles into stories. Start as many workers as you
    /// like, on this machine or on others sharing a PostgreSQL [storage] url: each claims jobs
    /// with a lease ([worker] lease_secs), so a worker that dies loses nothing (another takes its
    /// jobs over once the lease expires) and no article is stored twice. Per-host politeness
    /// ([fetch] max_connections_per_host, per_host_delay_ms) holds across all workers. Every
    /// worker puts the sources that are due on the queue. `newsdesk status` shows the queue.
    Worker(WorkerArgs),
    /// Parse one feed file with the pipeline's parser and print it as JSON.
    FeedParse {
        /// The feed file (RSS 0.9x/1.0/2.0, Atom, JSON Feed); `-` reads standard input.
        file: PathBuf,
        /// URL the feed came from, to resolve relative links.
        #[arg(long)]
        url: Option<String>,
    },
    /// Extract one article (file or URL) as JSON, or a directory of pages with --batch.
    Extract(ExtractArgs),
    /// Run the web server and the background fetcher (on SQLite; on PostgreSQL a web node only
    /// serves, and `newsdesk worker` processes do the work).
    Serve {
        /// Address to listen on [default: [web] bind, 127.0.0.1:8080].
        #[arg(long, value_name = "ADDR:PORT")]
        bind: Option<String>,
        /// Do not fetch in the background.
        #[arg(long)]
        no_fetch: bool,
    },
    /// Run everything on a bundled sample corpus: no setup, no network.
    ///
    /// The site answers at once; the sample outlets are fetched and translated in the
    /// background (a progress line here, a note on the pages) and articles appear as they land.
    /// Ctrl-C stops it and removes the temporary data, unless --keep or --data DIR was given.
    Demo {
        /// Address the site listens on.
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
        bind: String,
        /// Keep the demo's data here instead of a temporary directory (it is kept).
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// Keep the temporary data directory after Ctrl-C (its path is printed).
        #[arg(long)]
        keep: bool,
        /// Fetch, print the summary and exit without serving the site.
        #[arg(long)]
        no_serve: bool,
    },
    /// Benchmarks of each stage.
    #[command(subcommand)]
    Bench(newsdesk_bench::BenchCommand),
    /// Translate text faithfully (Apertium, LibreTranslate, DeepL, OpenAI-compatible); stats.
    #[command(subcommand)]
    Translate(crate::commands::translate::TranslateCommand),
    /// Group articles into stories, online: JSONL documents on stdin ({"id","lang","date",
    /// "title","text"} per line, in stream order), {"id","cluster"} per line on stdout. Runs
    /// with the pipeline's `[stories]` settings (the configuration's, else the defaults).
    Stories {
        /// Read the documents as a stream (each placed using only the ones before it).
        #[arg(long)]
        stream: bool,
    },
    /// Link copies and translated copies to their originals: JSONL pool on stdin, {"id",
    /// "copy_of","top"} per line on stdout. Runs with the pipeline's `[stories]` settings.
    Copies,
}

/// `newsdesk store …`.
#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Copy every table from one database to another (SQLite to PostgreSQL, or back), in one
    /// transaction on the target, verified by per-table row counts and checksums before it
    /// commits. A PostgreSQL target is migrated first; a target holding any row is refused
    /// unless --force.
    ///
    ///     newsdesk store copy --from sqlite://data/newsdesk.db --to postgres://newsdesk@localhost/newsdesk
    #[command(verbatim_doc_comment)]
    Copy {
        /// The database to copy: sqlite://PATH (or a plain path) or postgres://… (its schema
        /// must be this build's).
        #[arg(long, value_name = "URL")]
        from: String,
        /// The database to fill: postgres://… (migrated first) or sqlite://PATH (created).
        #[arg(long, value_name = "URL")]
        to: String,
        /// Replace whatever the target holds.
        #[arg(long)]
        force: bool,
    },
}

/// `newsdesk sources …`.
#[derive(Debug, Subcommand)]
pub enum SourcesCommand {
    /// Add a source by its feed URL, by a page URL whose feed is discovered, or by a bare host.
    ///
    /// A page goes through the same discovery as `sources discover` (<link rel="alternate">,
    /// common paths such as /feed.xml, news sitemaps); the best feed found is added and the
    /// others are listed. Examples:
    ///
    ///     newsdesk sources add https://example.org/feed.xml
    ///     newsdesk sources add https://example.org/      # finds the site's feed
    ///     newsdesk sources add example.org               # tries https://, then http://
    #[command(verbatim_doc_comment)]
    Add {
        /// Feed or sitemap URL, the URL of a page of the site, or a bare host (example.org).
        url: String,
        /// Display name [default: the feed's title].
        #[arg(long)]
        name: Option<String>,
        /// Language of the source, ISO 639-1 (e.g. fr); several: repeat the option or give a
        /// comma list (fr,ar), the primary first.
        #[arg(long, value_delimiter = ',')]
        language: Vec<String>,
        /// Country of the source, ISO 3166-1 alpha-2 (e.g. FR).
        #[arg(long)]
        country: Option<String>,
        /// Store the URL as given, without fetching it first.
        #[arg(long)]
        no_check: bool,
    },
    /// Edit a source's name and profile; an operator's value beats the State Media Matrix.
    ///
    /// Give an empty value (`--typology ""`) to clear a field and hand it back to the matrix
    /// (or to newsdesk's guess, for the country).
    Edit {
        /// Source id (see `sources list`).
        id: i64,
        /// Display name.
        #[arg(long)]
        name: Option<String>,
        /// Country, ISO 3166-1 alpha-2 (e.g. DE).
        #[arg(long)]
        country: Option<String>,
        /// Language, ISO 639-1 (e.g. de); several: repeat the option or give a comma list
        /// (de,fr), the primary first.
        #[arg(long, value_delimiter = ',')]
        language: Vec<String>,
        /// The media company that owns it.
        #[arg(long)]
        owner: Option<String>,
        /// State Media Monitor typology: SC, CaPu, CaPr, ISFM, ISF, ISM or IP, with a trailing
        /// `?` when uncertain.
        #[arg(long)]
        typology: Option<String>,
        /// Kind of outlet: news agency, broadcaster, newspaper, online, blog, press release
        /// wire…
        #[arg(long = "type", value_name = "TYPE")]
        media_type: Option<String>,
        /// The site's home page.
        #[arg(long)]
        site: Option<String>,
    },
    /// List sources with their fetch status.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Remove a source and its articles.
    Remove {
        /// Source id (see `sources list`).
        id: i64,
    },
    /// Import sources from an OPML file (sources already present are skipped).
    ///
    /// Example: newsdesk sources import feeds.opml
    Import {
        /// OPML file.
        file: PathBuf,
    },
    /// Print every source as OPML 2.0 on standard output.
    Export,
    /// Fetch one feed and report what newsdesk sees (format, entries, dates, encoding, errors,
    /// next fetch); nothing is stored.
    Check {
        /// Feed URL.
        url: String,
    },
    /// List the feeds a site offers (<link rel="alternate">, common paths such as /feed, /rss,
    /// /atom.xml, and Google News sitemaps).
    Discover {
        /// The site's URL (home page or any page).
        url: String,
        /// Add every feed and news sitemap found as a source.
        #[arg(long)]
        add: bool,
    },
    /// Resume a source that was paused (after repeated failures or 410 Gone).
    Resume {
        /// Source id (see `sources list`).
        id: i64,
    },
}

/// `newsdesk fetch`.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Only these source ids (default: all).
    #[arg(long = "source", value_name = "ID")]
    pub sources: Vec<i64>,
    /// Only the sources that are due (their next-fetch time has come); one scheduler pass.
    #[arg(long)]
    pub due: bool,
}

/// `newsdesk extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// An HTML file or an http(s) URL (without --batch).
    #[arg(required_unless_present = "batch")]
    pub input: Option<String>,
    /// URL of the page when INPUT is a file (for relative links and dates in the URL).
    #[arg(long)]
    pub url: Option<String>,
    /// Extract every IN_DIR/<id>.html into OUT_DIR/<id>.json ({articleBody, title, author, date}).
    #[arg(long, num_args = 2, value_names = ["IN_DIR", "OUT_DIR"], conflicts_with = "input")]
    pub batch: Option<Vec<PathBuf>>,
    /// JSON object mapping <id> to the page's URL, for --batch.
    #[arg(long, value_name = "URLS.json", requires = "batch")]
    pub urls: Option<PathBuf>,
    /// Worker threads for --batch [default: all cores].
    #[arg(long)]
    pub threads: Option<usize>,
}
