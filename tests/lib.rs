mod courseware;
mod smoke {
    #[test]
    fn builds() {}
}
