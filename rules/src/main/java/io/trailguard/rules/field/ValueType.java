package io.trailguard.rules.field;

/** What a field extracts. */
public enum ValueType {
    /** A single string (every ct.* field, json.value, ...). */
    STRING,
    /** A single unsigned integer (evt.num, s3.bytes, len(...)), extracted as a {@link Long}. */
    NUMBER,
    /** Zero or more strings (ec2.imageids, json.path[...]), extracted as a {@code List<String>}. */
    LIST
}
