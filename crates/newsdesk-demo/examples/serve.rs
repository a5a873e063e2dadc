//! Serves the sample corpus (or a generated one) on loopback until Ctrl-C, printing the sources.
//!
//! `cargo run -p newsdesk-demo --example serve [-- <articles> <sources>]`

use std::net::SocketAddr;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let corpus = match args.as_slice() {
        [articles, sources, ..] => newsdesk_demo::generated_corpus(*articles, *sources, 1),
        _ => newsdesk_demo::sample_corpus(),
    };
    let origin =
        newsdesk_demo::Origin::start(corpus, SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    println!("origin: {}", origin.base_url);
    for s in &origin.sources {
        println!("{}\t{}\t{:?}\t{}", s.language, s.name, s.format, s.feed_url);
    }
    tokio::signal::ctrl_c().await?;
    origin.shutdown().await;
    Ok(())
}
