/**
 * Slim projections of the API objects DNS answers from (CoreDNS plugin/kubernetes/object): built once as an object
 * enters the informer cache, holding only the fields that shape answers, and equal when the answers would be.
 */
package dev.ferry.dns.records;
