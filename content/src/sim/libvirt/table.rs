//! The tables virsh prints (`vshTable`): a header, a dashed rule, one row per item; columns as
//! wide as their widest cell, three spaces apart, one space of indentation.

pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Self {
        Self { header: header.iter().map(|h| (*h).to_owned()).collect(), rows: Vec::new() }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn render(&self) -> String {
        let widths: Vec<usize> = (0..self.header.len())
            .map(|c| {
                self.rows
                    .iter()
                    .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                    .chain([self.header[c].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String]| {
            let mut s = String::from(" ");
            for (i, cell) in cells.iter().enumerate() {
                if i + 1 == cells.len() {
                    s.push_str(cell);
                } else {
                    s.push_str(&format!("{cell:<w$}   ", w = widths[i]));
                }
            }
            s.push('\n');
            s
        };
        let mut out = line(&self.header);
        let rule = 1 + widths.iter().sum::<usize>() + 3 * (widths.len() - 1) + 2;
        out.push_str(&"-".repeat(rule));
        out.push('\n');
        for r in &self.rows {
            out.push_str(&line(r));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_virsh_list() {
        let mut t = Table::new(&["Id", "Name", "State"]);
        t.row(vec!["1".into(), "test".into(), "running".into()]);
        assert_eq!(t.render(), " Id   Name   State\n----------------------\n 1    test   running\n");
        let empty = Table::new(&["Id", "Name", "State"]);
        assert_eq!(empty.render(), " Id   Name   State\n--------------------\n");
    }
}
