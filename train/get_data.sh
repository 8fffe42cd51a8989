#!/bin/sh
# Extract the extra public corpora train/ner.py and train/clusters.py read, from local git
# mirrors of their GitHub repositories, into ../ner-extra (never into this repository).
# Mirrors: indolem/indolem, IndoNLP/indonlu, ialfina/ner-dataset-modified-dee,
# gederajeg/word_pairs (any clone works: pass the four clone directories). See train/DATA.md for provenance and licences.
# Only train/valid files are read: no test split of any task (NERGrit's test is reserved).
set -eu
INDOLEM=$1; INDONLU=$2; MDEE=$3; WORDPAIRS=$4  # + gederajeg/word_pairs
OUT=${KABAR_NER_EXTRA:-$(dirname "$0")/../../ner-extra}
mkdir -p "$OUT/unlabelled"
git -C "$INDOLEM" show HEAD:ner/data/nerui/nergithub.txt > "$OUT/nerui.txt"
git -C "$INDOLEM" show HEAD:ner/data/nerugm/nerugm.txt > "$OUT/nerugm.txt"
git -C "$MDEE" show HEAD:goldstandard-0811.txt > "$OUT/mdee-gold.txt"
# Unlabelled text for the word clusters (tokens in the first column; labels ignored).
for task in bapos_pos-idn posp_pos-prosa nerp_ner-prosa; do
  for split in train valid; do
    git -C "$INDONLU" show "HEAD:dataset/$task/${split}_preprocess.txt" > "$OUT/unlabelled/$task-$split.txt"
  done
done
for split in train valid; do
  git -C "$INDONLU" show "HEAD:dataset/facqa_qa-factoid-itb/${split}_preprocess.csv" > "$OUT/unlabelled/facqa-$split.csv"
done
git -C "$INDOLEM" show HEAD:dependency_parsing/UD_Indonesian_GSD/id_gsd-ud-dev.conllu > "$OUT/unlabelled/gsd-dev.conllu"
# 25,000 sentences of the Leipzig Corpora Collection's ind_news_2008 (an R character vector
# in XDR form: a STRSXP of 25,000 CHARSXPs, each a flags word, a length and UTF-8 bytes).
git -C "$WORDPAIRS" show HEAD:data/my_leipzig_sample.rda | python3 -c '
import bz2, struct, sys
data = bz2.decompress(sys.stdin.buffer.read())
pos = data.find(struct.pack(">ii", 16, 25000)) + 8
for _ in range(25000):
    _flags, size = struct.unpack(">ii", data[pos : pos + 8])
    print(data[pos + 8 : pos + 8 + size].decode("utf-8", "replace").split(" ", 1)[1])
    pos += 8 + size
' > "$OUT/unlabelled/leipzig-news-2008.sentences"
echo "written to $OUT"
