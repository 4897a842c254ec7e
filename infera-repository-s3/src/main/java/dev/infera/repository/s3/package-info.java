/**
 * A model repository in an S3-compatible bucket ({@code s3://bucket/prefix}, {@code
 * s3://host:port/bucket/prefix}): listed with the AWS SDK for Java v2, each complete version
 * mirrored into a local cache with its checksums verified, and served to the lifecycle as local
 * folders. Depends on the core's repository package and the SDK.
 */
package dev.infera.repository.s3;
