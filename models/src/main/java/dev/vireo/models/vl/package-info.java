/**
 * The vision-language transformer: fusion of an image and a text sequence (early, mid or late) and
 * the scores built on it ({@link ImageTextMatcher}).
 */
package dev.vireo.models.vl;
