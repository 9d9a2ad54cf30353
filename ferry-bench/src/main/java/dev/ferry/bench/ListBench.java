package dev.ferry.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;

/**
 * Lists every Service of a namespace, one list at a time: either in one request (no limit) or in pages of
 * {@code limit} following {@code metadata.continue}, as kubectl does. Times are request start to last byte; the
 * harness parses each answer (to count items and find the continue token) outside the timed part.
 */
final class ListBench {

    /**
     * @param perList  time of one whole list (for paged lists: the sum of its pages' times)
     * @param perPage  time of each request (equals perList without a limit)
     * @param items    items of the last whole list
     * @param bytes    size of the last whole list's answers
     */
    record Result(Summary perList, Summary perPage, int items, long bytes) {
    }

    private ListBench() {
    }

    static Result run(HttpClient http, Api api, String namespace, int limit, int iterations)
            throws IOException, InterruptedException {
        Samples lists = new Samples();
        Samples pages = new Samples();
        int items = 0;
        long bytes = 0;
        for (int i = 0; i < iterations; i++) {
            Samples thisList = new Samples();
            String token = null;
            items = 0;
            bytes = 0;
            // a list of N items has at most N/limit + 1 pages; bound the loop by that
            int maxPages = limit > 0 ? 1_000_000 / limit + 1 : 1;
            for (int page = 0; page < maxPages; page++) {
                HttpRequest request = api.listServices(namespace, limit, token);
                long start = System.nanoTime();
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                long took = System.nanoTime() - start;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("list: " + response.statusCode() + " "
                            + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
                }
                thisList.add(took);
                pages.add(took);
                bytes += response.body().length;
                JsonNode list = Api.JSON.readTree(response.body());
                items += list.path("items").size();
                JsonNode next = list.path("metadata").path("continue");
                token = next.isString() && !next.asString().isEmpty() ? next.asString() : null;
                if (token == null) {
                    break;
                }
            }
            lists.add(thisList.sum());
        }
        return new Result(lists.summary(), pages.summary(), items, bytes);
    }
}
