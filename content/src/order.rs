//! Sorting through one shared copy of the standard library's sort.
//!
//! `slice::sort_by` is generic over the element type and the comparison closure, so every call
//! site compiles its own copy of the whole stable sort (about 4 KB of WebAssembly each, code
//! that compresses badly). These functions sort a list of positions instead, with the
//! comparison behind `&dyn Fn`: the whole program shares one copy of the sort, and each call
//! site only adds the small loop that moves the elements into their sorted places.
//!
//! The results are those of the standard library's stable sort: elements that compare equal
//! keep their order. Where a caller sorted with `sort_unstable`, the elements that compare equal
//! are indistinguishable (numbers, strings, tuples of them), so the result is the same too.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`, like `items.sort_by(compare)`.
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_positions(items.len(), &|a, b| compare(&items[a], &items[b]));
    permute(items, &order);
}

/// Sorts `items` stably by the key `key` gives each element, like `items.sort_by_key(key)`.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in ascending order, like `items.sort()`.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The positions `0..len` in the order in which `compare` sorts the elements at them (stable).
/// Not generic: the one copy of the sort in the program.
fn sorted_positions(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Rearranges `items` so that the element at position `k` afterwards is the one that was at
/// `order[k]`, by swaps along the cycles of the permutation.
fn permute<T>(items: &mut [T], order: &[usize]) {
    // target[i]: where the element now at position i has to go.
    let mut target = vec![0; order.len()];
    for (k, &from) in order.iter().enumerate() {
        target[from] = k;
    }
    for i in 0..items.len() {
        while target[i] != i {
            let to = target[i];
            items.swap(i, to);
            target.swap(i, to);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_by_is_stable_like_the_standard_librarys() {
        let mut ours = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e'), (3, 'f'), (0, 'g')];
        let mut expected = ours.clone();
        sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
        expected.sort_by_key(|e| e.0);
        assert_eq!(ours, vec![(0, 'g'), (1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c'), (3, 'f')]);
        assert_eq!(ours, expected);
    }

    #[test]
    fn sort_by_key_and_sort_order_like_the_standard_library() {
        let mut words = vec!["pear", "fig", "apple", "kiwi", "banana", "date"];
        sort_by_key(&mut words, |w| w.len());
        assert_eq!(words, vec!["fig", "pear", "kiwi", "date", "apple", "banana"]);
        sort(&mut words);
        assert_eq!(words, vec!["apple", "banana", "date", "fig", "kiwi", "pear"]);
        let mut empty: Vec<u8> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
    }

    #[test]
    fn permute_follows_every_cycle() {
        // Deterministic pseudo-random lists (an LCG), compared with the standard library.
        let mut state = 12345u32;
        for len in 0..200 {
            let list: Vec<(u32, usize)> = (0..len)
                .map(|i| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    ((state >> 16) % 7, i)
                })
                .collect();
            let mut ours = list.clone();
            let mut expected = list;
            sort_by(&mut ours, |a, b| b.0.cmp(&a.0));
            expected.sort_by_key(|e| std::cmp::Reverse(e.0));
            assert_eq!(ours, expected, "length {len}");
        }
    }
}
