// Wrong answer: skips the last number, so every case with a non-zero last number fails.
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.StringTokenizer;

public class OffByOne {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        StringBuilder text = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) text.append(line).append(' ');
        StringTokenizer tokens = new StringTokenizer(text.toString());
        int n = Integer.parseInt(tokens.nextToken());
        double sum = 0;
        for (int i = 0; i < n - 1; i++) sum += Double.parseDouble(tokens.nextToken());
        System.out.println(sum);
    }
}
