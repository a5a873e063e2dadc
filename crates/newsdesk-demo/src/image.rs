//! Placeholder images: small SVGs generated from the file name (no bitmaps are bundled).

use newsdesk_core::escape::xml;

/// FNV-1a, used to derive stable colours and validators.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Whether `file` is a name the origin serves under `/images/` (`[a-z0-9-]+.svg`).
pub(crate) fn is_image_name(file: &str) -> bool {
    file.strip_suffix(".svg").is_some_and(|stem| {
        !stem.is_empty()
            && stem.len() <= 120
            && stem
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    })
}

/// The SVG placeholder for an image file name: a 1200×675 gradient labelled as a sample image.
pub(crate) fn placeholder(file: &str) -> String {
    let h = fnv1a(file.as_bytes());
    let c1 = h & 0xff_ffff;
    let c2 = (h >> 24) & 0xff_ffff;
    let label = file.strip_suffix(".svg").unwrap_or(file).replace('-', " ");
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"675\" viewBox=\"0 0 1200 675\">\n\
         <title>SAMPLE DATA placeholder: {label}</title>\n\
         <defs><linearGradient id=\"g\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"1\">\
         <stop offset=\"0\" stop-color=\"#{c1:06x}\"/><stop offset=\"1\" stop-color=\"#{c2:06x}\"/></linearGradient></defs>\n\
         <rect width=\"1200\" height=\"675\" fill=\"url(#g)\"/>\n\
         <text x=\"600\" y=\"320\" font-family=\"sans-serif\" font-size=\"48\" fill=\"#fff\" text-anchor=\"middle\">{label}</text>\n\
         <text x=\"600\" y=\"390\" font-family=\"sans-serif\" font-size=\"28\" fill=\"#fff\" text-anchor=\"middle\">SAMPLE DATA · newsdesk demo placeholder</text>\n\
         </svg>\n",
        label = xml(&label),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_and_svgs_are_stable() {
        assert!(is_image_name("valdoria-cranes.svg"));
        assert!(!is_image_name("../etc.svg"));
        assert!(!is_image_name("x.png"));
        assert!(!is_image_name(".svg"));
        assert_eq!(placeholder("a.svg"), placeholder("a.svg"));
        assert!(placeholder("a.svg").contains("SAMPLE DATA"));
    }
}
