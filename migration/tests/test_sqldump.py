"""Reading mysqldump and phpMyAdmin files without MySQL: statements, quoting, escapes, encodings."""

import io

from django.test import SimpleTestCase

from migration.sqldump import DumpError, Staging, iter_statements, load_dump


def load(text: bytes) -> Staging:
    return load_dump(io.BytesIO(text))


class SqlDumpTests(SimpleTestCase):
    def test_mysql_string_escapes_and_doubled_quotes_are_read(self):
        staging = load(
            b"CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `s` text\n) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4;\n"
            b"INSERT INTO `t` VALUES (1,'it\\'s'),(2,'it''s'),(3,'a\\\\b'),(4,'line\\r\\nnext\\ttab\\0end'),"
            b"(5,NULL),(6,'semi; colon ) paren ('),(7,'50\\%'),(-8,0x4869),(9,_binary 'bin');\n"
        )
        rows = [tuple(row) for row in staging.select("t")]
        self.assertEqual(
            rows,
            [
                (1, "it's"),
                (2, "it's"),
                (3, "a\\b"),
                (4, "line\r\nnext\ttab\x00end"),
                (5, None),
                (6, "semi; colon ) paren ("),
                (7, "50\\%"),
                (-8, "Hi"),
                (9, "bin"),
            ],
        )
        self.assertEqual(staging.charsets, {"t": "utf8mb4"})

    def test_the_sandbox_line_comments_and_conditional_statements_are_skipped(self):
        staging = load(
            b"/*M!999999\\- enable the sandbox mode */ \n-- MariaDB dump 10.19\n"
            b"/*!40101 SET NAMES utf8mb4 */;\n# a hash comment; with a semicolon\n"
            b"DROP TABLE IF EXISTS `t`;\nCREATE TABLE `t` (\n  `a` int(11)\n);\nLOCK TABLES `t` WRITE;\n"
            b"/*!40000 ALTER TABLE `t` DISABLE KEYS */;\nINSERT INTO `t` VALUES (1),(2);\nUNLOCK TABLES;\n"
        )
        self.assertEqual([row["a"] for row in staging.select("t")], [1, 2])

    def test_phpmyadmin_rows_on_several_lines_with_a_column_list(self):
        staging = load(
            b"CREATE TABLE IF NOT EXISTS `t` (`id` int(11) NOT NULL, `name` varchar(9), `n` float);\n"
            b"INSERT INTO `t` (`name`, `id`, `n`) VALUES\n('first\nline', 1, 1.5),\n('second', 2, -2e3);\n"
        )
        self.assertEqual(
            [tuple(row) for row in staging.select("t")], [(1, "first\nline", "1.5"), (2, "second", -2000.0)]
        )

    def test_latin1_bytes_and_double_encoded_utf8_both_come_out_as_text(self):
        staging = load(
            b"CREATE TABLE `t` (`s` text) DEFAULT CHARSET=latin1;\n"
            b"INSERT INTO `t` VALUES ('Caf\xe9 \x93quoted\x94'),('Caf\xc3\x83\xc2\xa9'),('\xe5\xb0\x8f\xe6\x9e\x97');\n"
        )
        self.assertEqual([row["s"] for row in staging.select("t")], ["Café “quoted”", "Café", "小林"])

    def test_a_statement_split_across_reads_is_joined(self):
        long_value = b"x" * 200_000
        text = b"INSERT INTO `t` VALUES ('" + long_value + b"'),\n('" + b";" * 10 + b"');\nSELECT 1;\n"
        statements = list(iter_statements(io.BytesIO(text)))
        self.assertEqual(len(statements), 2)
        self.assertTrue(statements[0].endswith(b"'" + b";" * 10 + b"')"))

    def test_a_broken_insert_is_reported(self):
        with self.assertRaises(DumpError):
            load(b"INSERT INTO `t` VALUES (1,'a'),(2,'b' garbage);\n")
