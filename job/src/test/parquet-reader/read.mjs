// Reads one Parquet file with hyparquet, a Parquet implementation independent of parquet-java, and prints what it
// holds as JSON lines: first {"rows", "codecs", "metadata"} of the file, then one line per row. INT64 values come
// back as BigInt and are printed as numbers; absent optional values are left out.
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'

const path = process.argv[2]
if (!path) {
  console.error('usage: node read.mjs FILE.parquet')
  process.exit(2)
}
const file = await asyncBufferFromFile(path)
const metadata = await parquetMetadataAsync(file)
const codecs = new Set()
for (const group of metadata.row_groups) {
  for (const column of group.columns) {
    codecs.add(column.meta_data.codec)
  }
}
const keyValues = {}
for (const kv of metadata.key_value_metadata ?? []) {
  keyValues[kv.key] = kv.value
}
const plain = (v) => {
  if (typeof v === 'bigint') return Number(v)
  if (Array.isArray(v)) return v.map(plain)
  if (v instanceof Date) return v.getTime()
  if (v !== null && typeof v === 'object') {
    const o = {}
    for (const [k, x] of Object.entries(v)) {
      if (x !== null && x !== undefined) o[k] = plain(x)
    }
    return o
  }
  return v
}
console.log(JSON.stringify({ rows: Number(metadata.num_rows), codecs: [...codecs], metadata: keyValues }))
const rows = await parquetReadObjects({ file, compressors })
for (const row of rows) {
  console.log(JSON.stringify(plain(row)))
}
