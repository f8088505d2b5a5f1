//! QR codes (扫码评议) that bring a resident from a notice to the satisfaction survey, with the
//! issue's id in the survey's pass-through parameter. Encoded by the `qrcode` crate; drawn
//! here as vector (SVG, for HTML and the phone image) or as a PNG (for Word).

use crate::error::{Error, Result};

/// Light modules around the code, as the standard asks (ISO/IEC 18004: four).
const QUIET: usize = 4;

/// A QR code's modules, dark or light, `width` × `width`.
#[derive(Debug, Clone)]
pub struct Qr {
    width: usize,
    dark: Vec<bool>,
}

impl Qr {
    /// Encode `text` (a URL) at error correction level M: a printed notice may be creased.
    pub fn encode(text: &str) -> Result<Qr> {
        let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
            .map_err(|e| Error::data_text(crate::text!("qr.too_long", text = text, error = e)))?;
        Ok(Qr {
            width: code.width(),
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == qrcode::Color::Dark)
                .collect(),
        })
    }

    /// Modules per side, with the quiet zone.
    pub fn size(&self) -> usize {
        self.width + 2 * QUIET
    }

    /// Whether the module at (x, y), counted with the quiet zone, is dark.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        let (Some(x), Some(y)) = (x.checked_sub(QUIET), y.checked_sub(QUIET)) else {
            return false;
        };
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// The path of the dark modules, one unit square each, in module coordinates (quiet zone
    /// included): `M4,4h1v1h-1z…`. Runs of dark modules in a row are one rectangle.
    pub fn path(&self) -> String {
        let mut d = String::new();
        let n = self.size();
        for y in 0..n {
            let mut x = 0;
            while x < n {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < n && self.is_dark(x, y) {
                    x += 1;
                }
                d.push_str(&format!("M{start},{y}h{}v1h-{}z", x - start, x - start));
            }
        }
        d
    }

    /// An SVG of `px` × `px` pixels, crisp at any zoom.
    pub fn svg(&self, px: u32) -> String {
        let n = self.size();
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" width=\"{px}\" height=\"{px}\" viewBox=\"0 0 {n} {n}\" shape-rendering=\"crispEdges\"><rect width=\"{n}\" height=\"{n}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{}\"/></svg>",
            self.path()
        )
    }

    /// A greyscale PNG, `scale` pixels per module.
    pub fn png(&self, scale: usize) -> Result<Vec<u8>> {
        let side = self.size() * scale;
        let mut pixels = vec![255u8; side * side];
        for (i, p) in pixels.iter_mut().enumerate() {
            let (x, y) = ((i % side) / scale, (i / side) / scale);
            if self.is_dark(x, y) {
                *p = 0;
            }
        }
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, side as u32, side as u32);
            enc.set_color(png::ColorType::Grayscale);
            enc.set_depth(png::BitDepth::Eight);
            let mut w = enc
                .write_header()
                .map_err(|e| Error::internal(format!("QR code PNG: {e}")))?;
            w.write_image_data(&pixels)
                .map_err(|e| Error::internal(format!("QR code PNG: {e}")))?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_with_a_quiet_zone() {
        let q = Qr::encode("https://www.wjx.cn/vm/abc.aspx?sojumpparm=12").unwrap();
        assert_eq!(q.size(), q.width + 8);
        assert!(!q.is_dark(0, 0));
        // The finder pattern's corner.
        assert!(q.is_dark(QUIET, QUIET));
        assert!(q.svg(200).starts_with("<svg"));
        assert!(q.png(4).unwrap().starts_with(b"\x89PNG"));
    }
}
